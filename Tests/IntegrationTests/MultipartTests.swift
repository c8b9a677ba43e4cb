import Digest
import Foundation
import Synchronization
import Testing

/// Multipart upload end to end over real sockets: the main flows, races, and hostile input.
@Suite("Multipart", .serialized) struct MultipartTests {
    static let mib = 1 << 20

    /// The text of the first `<name>` element of `xml`.
    static func element(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"),
            let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex)
        else { return nil }
        return String(xml[open.upperBound..<close.lowerBound])
    }

    /// Every `<name>` element's text.
    static func elements(_ name: String, in xml: String) -> [String] {
        xml.components(separatedBy: "<\(name)>").dropFirst().compactMap {
            $0.components(separatedBy: "</\(name)>").first
        }
    }

    static func completeBody(_ parts: [(Int, String)]) -> [UInt8] {
        var xml = "<CompleteMultipartUpload>"
        for (number, eTag) in parts {
            xml += "<Part><PartNumber>\(number)</PartNumber><ETag>\(eTag)</ETag></Part>"
        }
        return Array((xml + "</CompleteMultipartUpload>").utf8)
    }

    /// Data files under the server's data directory (temp files excluded).
    static func dataFiles(_ server: TestServer) -> Int {
        let root = server.root + "/data"
        guard let walker = FileManager.default.enumerator(atPath: root) else { return 0 }
        var count = 0
        while let path = walker.nextObject() as? String {
            if path.hasPrefix(".tmp") { continue }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                count += 1
            }
        }
        return count
    }

    static func bytes(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
    }

    static func create(_ client: RawClient, _ path: String, headers: [(String, String)] = []) throws -> String
    {
        let response = try client.send("POST", path, query: "uploads", headers: headers)
        #expect(response.status == 200, "\(response.text)")
        return try #require(element("UploadId", in: response.text))
    }

    static func uploadPart(
        _ client: RawClient, _ path: String, _ uploadID: String, _ number: Int, _ body: [UInt8]
    ) throws -> String {
        let response = try client.send(
            "PUT", path, query: "partNumber=\(number)&uploadId=\(uploadID)", body: body)
        #expect(response.status == 200, "\(response.text)")
        return response.headers["etag"] ?? ""
    }

    @Test("an upload of three parts completes into one object readable whole and by part, with S3's ETag")
    func mainFlow() throws {
        let server = try TestServer()
        let client = server.client()
        #expect(try client.send("PUT", "/mpu").status == 200)
        let id = try Self.create(
            client, "/mpu/big%20file",
            headers: [("Content-Type", "text/x-test"), ("x-amz-meta-color", "red")])
        let parts = [
            Self.bytes(5 * Self.mib, seed: 1), Self.bytes(5 * Self.mib, seed: 2), Self.bytes(1000, seed: 3),
        ]
        var eTags: [String] = []
        for (index, part) in parts.enumerated() {
            eTags.append(try Self.uploadPart(client, "/mpu/big%20file", id, index + 1, part))
        }
        #expect(eTags[0] == "\"\(Hex.encode(MD5.hash(parts[0])))\"")

        let listed = try client.send("GET", "/mpu/big%20file", query: "uploadId=\(id)&max-parts=2")
        #expect(Self.elements("PartNumber", in: listed.text) == ["1", "2"])
        #expect(Self.element("IsTruncated", in: listed.text) == "true")
        #expect(Self.element("NextPartNumberMarker", in: listed.text) == "2")
        let rest = try client.send("GET", "/mpu/big%20file", query: "part-number-marker=2&uploadId=\(id)")
        #expect(Self.elements("PartNumber", in: rest.text) == ["3"])
        #expect(Self.elements("Size", in: rest.text) == ["1000"])
        let uploads = try client.send("GET", "/mpu", query: "uploads")
        #expect(Self.elements("UploadId", in: uploads.text) == [id])
        #expect(Self.element("Key", in: uploads.text) == "big file")
        #expect(Self.dataFiles(server) == 3)

        let body = Self.completeBody(eTags.enumerated().map { ($0.offset + 1, $0.element) })
        let complete = try client.send("POST", "/mpu/big%20file", query: "uploadId=\(id)", body: body)
        #expect(complete.status == 200, "\(complete.text)")
        let md5s = parts.flatMap { MD5.hash($0) }
        let expectedETag = "\"\(Hex.encode(MD5.hash(md5s)))-3\""
        #expect(
            Self.element("ETag", in: complete.text)
                == expectedETag.replacingOccurrences(of: "\"", with: "&quot;"))
        #expect(complete.text.contains("<Key>big file</Key>"))
        #expect(Self.dataFiles(server) == 3)  // no byte copied: the parts are the object

        let get = try client.send("GET", "/mpu/big%20file")
        #expect(get.status == 200)
        #expect(get.body == parts.flatMap { $0 })
        #expect(get.headers["etag"] == expectedETag)
        #expect(get.headers["content-type"] == "text/x-test")
        #expect(get.headers["x-amz-meta-color"] == "red")
        let second = try client.send("GET", "/mpu/big%20file", query: "partNumber=2")
        #expect(second.status == 206)
        #expect(second.body == parts[1])
        #expect(
            second.headers["content-range"]
                == "bytes \(5 * Self.mib)-\(10 * Self.mib - 1)/\(10 * Self.mib + 1000)")
        #expect(second.headers["x-amz-mp-parts-count"] == "3")
        let head = try client.send("HEAD", "/mpu/big%20file", query: "partNumber=3")
        #expect(head.headers["content-length"] == "1000")
        #expect(try client.send("GET", "/mpu/big%20file", query: "partNumber=4").status == 416)

        let retried = try client.send("POST", "/mpu/big%20file", query: "uploadId=\(id)", body: body)
        #expect(retried.status == 200)
        #expect(retried.text == complete.text)
        #expect(Self.elements("Upload", in: try client.send("GET", "/mpu", query: "uploads").text).isEmpty)
        let aborted = try client.send("DELETE", "/mpu/big%20file", query: "uploadId=\(id)")
        #expect(aborted.status == 404)
        #expect(aborted.text.contains("<Code>NoSuchUpload</Code>"))
        #expect(try client.send("DELETE", "/mpu/big%20file").status == 204)
        #expect(Self.dataFiles(server) == 0)
    }

    @Test("a re-uploaded part replaces the old one, parts left out are freed, abort frees the rest")
    func replaceAndAbort() throws {
        let server = try TestServer()
        let client = server.client()
        #expect(try client.send("PUT", "/mpr").status == 200)
        let id = try Self.create(client, "/mpr/k")
        _ = try Self.uploadPart(client, "/mpr/k", id, 1, Self.bytes(100, seed: 1))
        let replaced = try Self.uploadPart(client, "/mpr/k", id, 1, Self.bytes(200, seed: 9))
        _ = try Self.uploadPart(client, "/mpr/k", id, 2, Self.bytes(300, seed: 2))
        #expect(Self.dataFiles(server) == 2)
        let complete = try client.send(
            "POST", "/mpr/k", query: "uploadId=\(id)", body: Self.completeBody([(1, replaced)]))
        #expect(complete.status == 200, "\(complete.text)")
        #expect(try client.send("GET", "/mpr/k").body == Self.bytes(200, seed: 9))
        #expect(Self.dataFiles(server) == 1)

        let other = try Self.create(client, "/mpr/k2")
        _ = try Self.uploadPart(client, "/mpr/k2", other, 1, Self.bytes(100, seed: 1))
        _ = try Self.uploadPart(client, "/mpr/k2", other, 7, Self.bytes(100, seed: 1))
        #expect(Self.dataFiles(server) == 3)
        #expect(try client.send("DELETE", "/mpr/k2", query: "uploadId=\(other)").status == 204)
        #expect(Self.dataFiles(server) == 1)
        let gone = try client.send("GET", "/mpr/k2", query: "uploadId=\(other)")
        #expect(gone.text.contains("<Code>NoSuchUpload</Code>"))
    }

    @Test(
        "Complete refuses a wrong ETag, a small middle part and a bad order with S3's errors, and keeps the upload"
    )
    func completeErrors() throws {
        let server = try TestServer()
        let client = server.client()
        #expect(try client.send("PUT", "/mpe").status == 200)
        let id = try Self.create(client, "/mpe/k")
        let a = try Self.uploadPart(client, "/mpe/k", id, 1, Self.bytes(10, seed: 1))
        let b = try Self.uploadPart(client, "/mpe/k", id, 2, Self.bytes(10, seed: 2))
        let cases: [([UInt8], String)] = [
            (Self.completeBody([(1, "\"00000000000000000000000000000000\"")]), "InvalidPart"),
            (Self.completeBody([(1, a), (3, b)]), "InvalidPart"),
            (Self.completeBody([(1, a), (2, b)]), "EntityTooSmall"),
            (Self.completeBody([(2, b), (1, a)]), "InvalidPartOrder"),
            (Array("<CompleteMultipartUpload/>".utf8), "MalformedXML"),
            (Array("not xml".utf8), "MalformedXML"),
        ]
        for (body, code) in cases {
            let response = try client.send("POST", "/mpe/k", query: "uploadId=\(id)", body: body)
            #expect(response.status == 400)
            #expect(response.text.contains("<Code>\(code)</Code>"), "\(response.text)")
        }
        #expect(
            try client.send("POST", "/mpe/k", query: "uploadId=nope", body: Self.completeBody([(1, a)]))
                .status == 404)
        #expect(
            try client.send("POST", "/mpe/other", query: "uploadId=\(id)", body: Self.completeBody([(1, a)]))
                .status == 404)
        #expect(try client.send("HEAD", "/mpe/k").status == 404)
        let single = try client.send(
            "POST", "/mpe/k", query: "uploadId=\(id)", body: Self.completeBody([(2, b)]))
        #expect(single.status == 200)
        #expect(try client.send("GET", "/mpe/k").body == Self.bytes(10, seed: 2))
    }

    @Test(
        "part numbers 0 and 10001, a truncated body, 10,000-part and garbage Complete bodies get clear errors"
    )
    func hostile() throws {
        let server = try TestServer()
        let client = server.client()
        #expect(try client.send("PUT", "/mph").status == 200)
        let id = try Self.create(client, "/mph/k")
        for number in ["0", "10001", "x", "-1"] {
            let response = try client.send(
                "PUT", "/mph/k", query: "partNumber=\(number)&uploadId=\(id)", body: [1])
            #expect(response.status == 400)
            #expect(response.text.contains("Part number must be an integer between 1 and 10000, inclusive"))
        }
        // A body shorter than its Content-Length, then the connection closes.
        do {
            let raw = server.client()
            var headers: [(String, String)] = [
                ("Host", "127.0.0.1:\(server.port)"), ("Content-Length", "100000"),
            ]
            headers += SigV4TestSigner(accessKey: "accessKey1", secret: "verySecretKey1").sign(
                method: "PUT", path: "/mph/k", query: "partNumber=1&uploadId=\(id)", headers: headers,
                date: Date())
            var head = "PUT /mph/k?partNumber=1&uploadId=\(id) HTTP/1.1\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            try raw.write(Array((head + "\r\n").utf8) + [UInt8](repeating: 1, count: 1000))
        }
        usleep(200_000)
        let parts = try client.send("GET", "/mph/k", query: "uploadId=\(id)")
        #expect(Self.elements("PartNumber", in: parts.text).isEmpty)

        let huge = Self.completeBody((1...10_000).map { ($0, "\"0123456789abcdef0123456789abcdef\"") })
        let tooMany = try client.send("POST", "/mph/k", query: "uploadId=\(id)", body: huge)
        #expect(tooMany.status == 400)
        #expect(tooMany.text.contains("<Code>InvalidPart</Code>"))
        let garbage = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 9) }
        let bad = try client.send("POST", "/mph/k", query: "uploadId=\(id)", body: garbage)
        #expect(bad.status == 400)
        #expect(bad.text.contains("<Code>MalformedXML</Code>"))
        _ = try Self.uploadPart(client, "/mph/k", id, 1, [1, 2, 3])
        #expect(try client.send("GET", "/_/healthcheck", sign: false).status == 200)
        #expect(Self.dataFiles(server) == 1)
    }

    @Test("a part whose Content-MD5 differs, or for an unknown upload, is refused and leaves no data")
    func refusedParts() throws {
        let server = try TestServer()
        let client = server.client()
        #expect(try client.send("PUT", "/mpd").status == 200)
        let id = try Self.create(client, "/mpd/k")
        let bad = try client.send(
            "PUT", "/mpd/k", query: "partNumber=1&uploadId=\(id)",
            headers: [("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==")],
            body: Array("not empty".utf8))
        #expect(bad.status == 400)
        #expect(bad.text.contains("<Code>BadDigest</Code>"))
        let unknown = try client.send("PUT", "/mpd/k", query: "partNumber=1&uploadId=nope", body: [1, 2])
        #expect(unknown.status == 404)
        #expect(unknown.text.contains("<Code>NoSuchUpload</Code>"))
        let otherKey = try client.send(
            "PUT", "/mpd/other", query: "partNumber=1&uploadId=\(id)", body: [1, 2])
        #expect(otherKey.status == 404)
        let listed = try client.send("GET", "/mpd/k", query: "uploadId=\(id)")
        #expect(Self.elements("PartNumber", in: listed.text).isEmpty)
        #expect(Self.dataFiles(server) == 0)
        let stranger = server.client(accessKey: "accessKey2", secret: "verySecretKey2")
        #expect(try stranger.send("GET", "/mpd", query: "uploads").status == 403)
        #expect(
            try stranger.send("PUT", "/mpd/k", query: "partNumber=1&uploadId=\(id)", body: [1]).status == 403)
    }

    @Test("ListMultipartUploads pages with prefix, delimiter and markers")
    func listUploads() throws {
        let server = try TestServer()
        let client = server.client()
        #expect(try client.send("PUT", "/mpl").status == 200)
        var ids: [String: String] = [:]
        for key in ["a", "b/x", "b/y", "c"] { ids[key] = try Self.create(client, "/mpl/" + key) }
        let rolled = try client.send("GET", "/mpl", query: "delimiter=%2F&uploads")
        #expect(Self.elements("Key", in: rolled.text) == ["a", "c"])
        #expect(rolled.text.contains("<CommonPrefixes><Prefix>b/</Prefix></CommonPrefixes>"))
        let page = try client.send("GET", "/mpl", query: "max-uploads=2&uploads")
        #expect(Self.elements("Key", in: page.text) == ["a", "b/x"])
        #expect(Self.element("IsTruncated", in: page.text) == "true")
        #expect(Self.element("NextKeyMarker", in: page.text) == "b/x")
        #expect(Self.element("NextUploadIdMarker", in: page.text) == ids["b/x"])
        let next = try client.send(
            "GET", "/mpl", query: "key-marker=b%2Fx&upload-id-marker=\(ids["b/x"]!)&uploads")
        #expect(Self.elements("Key", in: next.text) == ["b/y", "c"])
        let prefixed = try client.send("GET", "/mpl", query: "prefix=b%2F&uploads")
        #expect(Self.elements("Key", in: prefixed.text) == ["b/x", "b/y"])
        #expect(prefixed.text.contains("<Initiator><ID>"))
        #expect(prefixed.text.contains("<StorageClass>STANDARD</StorageClass>"))
    }

    @Test("DeleteBucket takes uploads in progress with it and frees their parts' data; objects keep it")
    func deleteBucketWithUploads() throws {
        let server = try TestServer()
        let client = server.client()
        #expect(try client.send("PUT", "/mpdb").status == 200)
        let id = try Self.create(client, "/mpdb/k")
        _ = try Self.uploadPart(client, "/mpdb/k", id, 1, Self.bytes(1000, seed: 1))
        _ = try Self.uploadPart(client, "/mpdb/k", id, 2, Self.bytes(1000, seed: 2))
        #expect(Self.dataFiles(server) == 2)
        #expect(try client.send("PUT", "/mpdb/object", body: Array("x".utf8)).status == 200)
        #expect(try client.send("DELETE", "/mpdb").status == 409)
        #expect(try client.send("DELETE", "/mpdb/object").status == 204)
        #expect(try client.send("DELETE", "/mpdb").status == 204)
        #expect(try client.send("HEAD", "/mpdb").status == 404)
        #expect(Self.dataFiles(server) == 0)
        #expect(try client.send("PUT", "/mpdb").status == 200)
        #expect(try client.send("GET", "/mpdb", query: "uploads").text.contains("<Upload>") == false)
    }

    @Test("UploadPartCopy copies a range of another object into a part, honouring source conditions")
    func uploadPartCopy() throws {
        let server = try TestServer()
        let client = server.client()
        #expect(try client.send("PUT", "/mpc").status == 200)
        let source = Self.bytes(6 * Self.mib, seed: 5)
        #expect(try client.send("PUT", "/mpc/src", body: source).status == 200)
        let id = try Self.create(client, "/mpc/dst")
        let first = try client.send(
            "PUT", "/mpc/dst", query: "partNumber=1&uploadId=\(id)",
            headers: [("x-amz-copy-source", "/mpc/src"), ("x-amz-copy-source-range", "bytes=0-5242879")])
        #expect(first.status == 200, "\(first.text)")
        #expect(first.text.contains("<CopyPartResult"))
        let eTag1 = try #require(Self.element("ETag", in: first.text)).replacingOccurrences(
            of: "&quot;", with: "\"")
        let second = try client.send(
            "PUT", "/mpc/dst", query: "partNumber=2&uploadId=\(id)",
            headers: [("x-amz-copy-source", "mpc/src"), ("x-amz-copy-source-range", "bytes=5242880-6291455")])
        let eTag2 = try #require(Self.element("ETag", in: second.text)).replacingOccurrences(
            of: "&quot;", with: "\"")
        let outOfRange = try client.send(
            "PUT", "/mpc/dst", query: "partNumber=3&uploadId=\(id)",
            headers: [("x-amz-copy-source", "/mpc/src"), ("x-amz-copy-source-range", "bytes=0-6291456")])
        #expect(outOfRange.status == 416)
        let badSyntax = try client.send(
            "PUT", "/mpc/dst", query: "partNumber=3&uploadId=\(id)",
            headers: [("x-amz-copy-source", "/mpc/src"), ("x-amz-copy-source-range", "bytes=10-")])
        #expect(badSyntax.status == 400)
        let failed = try client.send(
            "PUT", "/mpc/dst", query: "partNumber=3&uploadId=\(id)",
            headers: [("x-amz-copy-source", "/mpc/src"), ("x-amz-copy-source-if-match", "\"nope\"")])
        #expect(failed.status == 412)
        let complete = try client.send(
            "POST", "/mpc/dst", query: "uploadId=\(id)", body: Self.completeBody([(1, eTag1), (2, eTag2)]))
        #expect(complete.status == 200, "\(complete.text)")
        #expect(try client.send("GET", "/mpc/dst").body == source)
    }

    @Test("16 parts uploaded in parallel all land; two racing Completes build the object once")
    func concurrency() throws {
        let server = try TestServer()
        let client = server.client()
        #expect(try client.send("PUT", "/mpx").status == 200)
        let id = try Self.create(client, "/mpx/k")
        let eTags = LockedArray(count: 16)
        let port = server.port
        DispatchQueue.concurrentPerform(iterations: 16) { index in
            let own = RawClient(port: port, accessKey: "accessKey1", secret: "verySecretKey1")
            let eTag = try? Self.uploadPart(
                own, "/mpx/k", id, index + 1, Self.bytes(65536, seed: UInt8(index)))
            eTags.set(index, eTag ?? "")
        }
        let listed = try client.send("GET", "/mpx/k", query: "uploadId=\(id)")
        #expect(Self.elements("PartNumber", in: listed.text) == (1...16).map { "\($0)" })
        #expect(Self.elements("ETag", in: listed.text).count == 16)
        #expect(Self.dataFiles(server) == 16)
        // One part only (the last may be small): the other fifteen are freed by the winner.
        let body = Self.completeBody([(16, eTags.values[15])])
        let results = LockedArray(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let own = RawClient(port: port, accessKey: "accessKey1", secret: "verySecretKey1")
            let response = try? own.send("POST", "/mpx/k", query: "uploadId=\(id)", body: body)
            results.set(
                index, "\(response?.status ?? 0) \(Self.element("ETag", in: response?.text ?? "") ?? "")")
        }
        #expect(results.values[0] == results.values[1])
        #expect(results.values[0].hasPrefix("200 "))
        #expect(try client.send("GET", "/mpx/k").body == Self.bytes(65536, seed: 15))
        #expect(Self.dataFiles(server) == 1)
    }
}

/// A fixed-size array of strings written from several threads.
final class LockedArray: Sendable {
    private let storage: Mutex<[String]>

    init(count: Int) { storage = Mutex(Array(repeating: "", count: count)) }

    func set(_ index: Int, _ value: String) { storage.withLock { $0[index] = value } }

    var values: [String] { storage.withLock { $0 } }
}
