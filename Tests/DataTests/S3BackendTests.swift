import Digest
import Foundation
import HTTP
import Testing

@testable import Data

/// What only a remote backend does: remote multipart uploads, remote versions, the ETag guard of
/// a bucket without versioning, failures of the remote. On moto, started by the tests.
@Suite("S3Backend on moto", .enabled(if: MotoPeer.isAvailable, MotoPeer.skipReason))
struct S3BackendTests {
    private let object = ObjectIdentity(bucket: "s3backend-\(UUID().uuidString)", key: "dir/obj ect+1")

    @Test("a remote multipart upload assembles its parts into one remote version")
    func multipart() throws {
        let backend = MotoPeer.backend()
        let upload = try backend.createMultipartUpload(object)
        #expect(upload.key == "\(object.bucket)/dir/obj ect+1")
        let first = randomBytes(5 << 20)
        let second = randomBytes(1000)
        let e1 = try backend.uploadPart(
            BufferSource(first), size: Int64(first.count), upload: upload, partNumber: 1)
        let e2 = try backend.uploadPart(BufferSource(second), size: 1000, upload: upload, partNumber: 2)
        #expect(e1 == Hex.md5(first) && e2 == Hex.md5(second))
        let location = try backend.completeMultipartUpload(
            upload, parts: [RemotePart(partNumber: 1, eTag: e1), RemotePart(partNumber: 2, eTag: e2)],
            size: Int64(first.count + 1000), object: object)
        #expect(location.dataStoreVersionID != nil)
        #expect(location.dataStoreETag?.hasSuffix("-2") == true)
        #expect(try drain(backend.get(location, range: nil)) == first + second)
        #expect(
            try drain(backend.get(location, range: 5_242_000...5_242_999))
                == Array((first + second)[5_242_000...5_242_999]))
        try backend.delete(location)
        #expect(dataErrorKind { _ = try backend.get(location, range: nil) } == .notFound)
    }

    @Test("a part copied inside the remote bucket is the source's bytes")
    func partCopy() throws {
        let backend = MotoPeer.backend()
        let bytes = randomBytes(6 << 20)
        let source = try backend.put(BufferSource(bytes), size: Int64(bytes.count), object: object)
        let upload = try backend.createMultipartUpload(ObjectIdentity(bucket: object.bucket, key: "copied"))
        let e1 = try backend.uploadPartCopy(from: source, range: nil, upload: upload, partNumber: 1)
        let e2 = try backend.uploadPartCopy(from: source, range: 10...19, upload: upload, partNumber: 2)
        #expect(e1 == Hex.md5(bytes) && e2 == Hex.md5(Array(bytes[10...19])))
        let location = try backend.completeMultipartUpload(
            upload, parts: [RemotePart(partNumber: 1, eTag: e1), RemotePart(partNumber: 2, eTag: e2)],
            size: Int64(bytes.count + 10), object: object)
        #expect(try drain(backend.get(location, range: nil)) == bytes + bytes[10...19])
    }

    @Test("an aborted upload takes no more parts, and aborting again is not an error")
    func abort() throws {
        let backend = MotoPeer.backend()
        let upload = try backend.createMultipartUpload(object)
        try backend.abortMultipartUpload(upload)
        try backend.abortMultipartUpload(upload)
        #expect(
            dataErrorKind {
                _ = try backend.uploadPart(BufferSource([1]), size: 1, upload: upload, partNumber: 1)
            }
                == .unavailable)
    }

    @Test("two writes of one name are two remote versions; deleting one leaves the other")
    func versions() throws {
        let backend = MotoPeer.backend()
        let old = try backend.put(BufferSource(Array("old".utf8)), size: 3, object: object)
        let new = try backend.put(BufferSource(Array("new".utf8)), size: 3, object: object)
        #expect(old.key == new.key && old.dataStoreVersionID != new.dataStoreVersionID)
        try backend.delete(old)
        #expect(try drain(backend.get(new, range: nil)) == Array("new".utf8))
        #expect(dataErrorKind { _ = try backend.get(old, range: nil) } == .notFound)
    }

    @Test("one DeleteObjects removes the versions it names, names that need escaping and gone ones too")
    func batchDelete() throws {
        let backend = MotoPeer.backend()
        var doomed: [DataLocation] = []
        for name in ["a&b", "<tag>", "quote\"'", "dir/plain"] {
            let named = ObjectIdentity(bucket: object.bucket, key: name)
            doomed.append(try backend.put(BufferSource([1, 2, 3]), size: 3, object: named))
        }
        let kept = try backend.put(
            BufferSource(Array("kept".utf8)), size: 4,
            object: ObjectIdentity(bucket: object.bucket, key: "dir/plain"))
        try backend.delete(doomed[0])
        #expect(backend.deleteObjects(doomed))
        for location in doomed {
            #expect(dataErrorKind { _ = try backend.get(location, range: nil) } == .notFound)
        }
        #expect(try drain(backend.get(kept, range: nil)) == Array("kept".utf8))
        #expect(backend.deleteBatch([kept]) == [kept])
        #expect(MotoPeer.keys(prefix: object.bucket).isEmpty)
    }

    @Test("without remote versioning, a delete leaves alone a newer write of the same name")
    func unversioned() throws {
        let backend = MotoPeer.backend(bucket: MotoPeer.plainBucket)
        let old = try backend.put(BufferSource(Array("old".utf8)), size: 3, object: object)
        #expect(old.dataStoreVersionID == nil && old.dataStoreETag == Hex.md5(Array("old".utf8)))
        let new = try backend.put(BufferSource(Array("newer".utf8)), size: 5, object: object)
        try backend.delete(old)
        #expect(try drain(backend.get(new, range: nil)) == Array("newer".utf8))
        try backend.delete(new)
        #expect(MotoPeer.keys(bucket: MotoPeer.plainBucket, prefix: object.bucket).isEmpty)
    }

    @Test("content headers, user metadata and SSE are sent with the data")
    func headers() throws {
        var configuration = MotoPeer.backend().configuration
        configuration.serverSideEncryption = true
        let backend = S3Backend(configuration: configuration)
        var described = object
        described.headers = HTTPHeaders([("Content-Type", "text/csv"), ("x-amz-meta-color", "blue")])
        let location = try backend.put(BufferSource(Array("a,b".utf8)), size: 3, object: described)
        let head = try backend.remote.send("HEAD", key: location.key)
        head.body.discard()
        #expect(head.headers["content-type"] == "text/csv")
        #expect(head.headers["x-amz-meta-color"] == "blue")
        #expect(head.headers["x-amz-server-side-encryption"] == "AES256")
    }

    @Test("a missing remote bucket fails writes with its error and reports the location down")
    func missingBucket() throws {
        let backend = MotoPeer.backend(bucket: "no-such-bucket-\(UUID().uuidString.prefix(8).lowercased())")
        do throws(DataError) {
            _ = try backend.put(BufferSource([1]), size: 1, object: object)
            Issue.record("the put succeeded")
        } catch {
            guard case .unavailable(let why) = error else {
                Issue.record("expected unavailable, got \(error)")
                return
            }
            #expect(why.contains("PutObject answered 404 NoSuchBucket"))
        }
        let health = backend.healthcheck()
        #expect(!health.ok && health.external)
    }
}

/// A remote nobody answers for.
@Suite("S3Backend without a remote")
struct S3BackendDownTests {
    @Test("every operation fails as unavailable, and health says why")
    func down() {
        let backend = MotoPeer.backend(port: MotoPeer.freePort())
        let object = ObjectIdentity(bucket: "b", key: "k")
        let location = DataLocation(location: "x", key: "b/k", size: 1, dataStoreVersionID: "v")
        #expect(
            dataErrorKind { _ = try backend.put(BufferSource([1]), size: 1, object: object) } == .unavailable)
        #expect(dataErrorKind { _ = try backend.get(location, range: nil) } == .unavailable)
        #expect(dataErrorKind { try backend.delete(location) } == .unavailable)
        #expect(dataErrorKind { _ = try backend.createMultipartUpload(object) } == .unavailable)
        let health = backend.healthcheck()
        #expect(!health.ok && health.external)
        #expect(health.detail.contains("Connection refused"))
    }
}

@Suite("Remote names and answers")
struct RemoteNamingTests {
    @Test(
        "remote names follow bucketMatch; paths and queries are encoded as SigV4 signs them",
        arguments: [
            ("b", "k", true, true, "k", "/remote/k"),
            ("b", "k", false, true, "b/k", "/remote/b/k"),
            ("b", "a b/c+d~é", false, true, "b/a b/c+d~é", "/remote/b/a%20b/c%2Bd~%C3%A9"),
            ("b", "dir//x?y", true, false, "dir//x?y", "/dir//x%3Fy"),
        ])
    func naming(bucket: String, key: String, bucketMatch: Bool, pathStyle: Bool, remote: String, path: String)
    {
        let name = RemoteKeyNaming.remoteKey(bucket: bucket, key: key, bucketMatch: bucketMatch)
        #expect(name == remote)
        #expect(RemoteKeyNaming.path(bucket: "remote", key: name, pathStyle: pathStyle) == path)
    }

    @Test("the bucket itself is / virtual-hosted and /bucket path-style; queries encode names and values")
    func bucketPathAndQuery() {
        #expect(RemoteKeyNaming.path(bucket: "remote", key: nil, pathStyle: false) == "/")
        #expect(RemoteKeyNaming.path(bucket: "remote", key: nil, pathStyle: true) == "/remote")
        #expect(
            RemoteKeyNaming.query([("uploads", nil), ("versionId", "a/b+c="), ("prefix", "x y")])
                == "uploads&versionId=a%2Fb%2Bc%3D&prefix=x%20y")
    }

    @Test(
        "error answers read as status, code and message",
        arguments: [
            (
                403, "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
                "403 AccessDenied: Access Denied"
            ),
            (404, "", "404"),
            (
                503,
                "<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Reduce &amp; retry &#x41;</Message></Error>",
                "503 SlowDown: Reduce & retry A"
            ),
            (500, "<html>oops</html>", "500"),
        ])
    func remoteErrors(status: Int, body: String, expected: String) {
        #expect(RemoteError.describe(status: status, body: Array(body.utf8)) == expected)
    }

    @Test("ETags lose their quotes and weak marker; 200 answers holding an <Error> are errors")
    func eTagsAndErrors() {
        #expect(RemoteError.unquoted("\"ABC\"") == "abc")
        #expect(RemoteError.unquoted("W/\"x-2\"") == "x-2")
        #expect(RemoteError.unquoted(nil) == nil)
        #expect(XMLText.isError(Array("<Error><Code>InternalError</Code></Error>".utf8)))
        #expect(
            !XMLText.isError(
                Array(
                    "<CompleteMultipartUploadResult><ETag>&quot;e&quot;</ETag></CompleteMultipartUploadResult>"
                        .utf8)))
        #expect(XMLText.first("ETag", in: Array("<R><ETag>&quot;e-2&quot;</ETag></R>".utf8)) == "\"e-2\"")
    }
}

extension Hex {
    /// The lower-case hex MD5 of `bytes`.
    static func md5(_ bytes: [UInt8]) -> String { encode(MD5.hash(bytes)) }
}
