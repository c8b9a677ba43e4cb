import Data
import Digest
import Testing

@testable import S3API

/// CompleteMultipartUpload's body and plan, and the small pure pieces of multipart support.
@Suite("Multipart completion") struct MultipartCompletionTests {
    static let mib: Int64 = 1 << 20

    static func body(_ parts: [(Int, String)]) -> [UInt8] {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for (number, eTag) in parts {
            xml += "<Part><PartNumber>\(number)</PartNumber><ETag>\(eTag)</ETag></Part>"
        }
        return Array((xml + "</CompleteMultipartUpload>").utf8)
    }

    static func part(_ number: Int, size: Int64, checksum: String? = nil) -> PartRecord {
        PartRecord(
            partNumber: number, size: size, eTag: Hex.encode(MD5.hash(Array("part \(number)".utf8))),
            lastModified: 0, location: DataLocation(location: "l", key: "k\(number)", size: size),
            checksum: checksum)
    }

    static func crc32(_ bytes: [UInt8]) -> [UInt8] {
        let hasher = CRC32()
        hasher.update(bytes)
        return hasher.finalize()
    }

    static func upload(algorithm: String? = nil) -> MultipartUpload {
        MultipartUpload(
            uploadID: "u", key: "k", initiated: 0, location: "l",
            object: ObjectMD(
                key: "k", size: 0, eTag: "", lastModified: 0, ownerID: "o", ownerDisplayName: "O"),
            checksumAlgorithm: algorithm, checksumType: algorithm == nil ? nil : "COMPOSITE")
    }

    @Test("a body lists its parts with unquoted ETags and checksums")
    func parse() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <CompleteMultipartUpload>
              <Part><PartNumber>1</PartNumber><ETag>&quot;ABC&quot;</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part>
              <Part><ETag>"def"</ETag><PartNumber> 3 </PartNumber></Part>
            </CompleteMultipartUpload>
            """
        let request = try CompleteMultipartRequest.parse(Array(xml.utf8))
        #expect(
            request.parts == [
                .init(partNumber: 1, eTag: "abc", checksums: [.crc32: "AAAAAA=="]),
                .init(partNumber: 3, eTag: "def"),
            ])
    }

    @Test(
        "bodies S3 refuses are refused with its error",
        arguments: [
            ("", "MalformedXML"), ("<CompleteMultipartUpload></CompleteMultipartUpload>", "MalformedXML"),
            ("<Other><Part><PartNumber>1</PartNumber><ETag>a</ETag></Part></Other>", "MalformedXML"),
            (
                "<CompleteMultipartUpload><Part><ETag>a</ETag></Part></CompleteMultipartUpload>",
                "MalformedXML"
            ),
            (
                "<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>",
                "MalformedXML"
            ),
            (
                "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
                "MalformedXML"
            ),
            ("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>a</ETag>", "MalformedXML"),
            (
                "<CompleteMultipartUpload><Part><PartNumber>0</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>",
                "InvalidArgument"
            ),
            (
                "<CompleteMultipartUpload><Part><PartNumber>10001</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>",
                "InvalidArgument"
            ),
            (
                "<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>a</ETag></Part><Part><PartNumber>1</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>",
                "InvalidPartOrder"
            ),
            (
                "<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>a</ETag></Part><Part><PartNumber>2</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>",
                "InvalidPartOrder"
            ),
        ])
    func refused(xml: String, code: String) {
        #expect(throws: S3Error.self) { try CompleteMultipartRequest.parse(Array(xml.utf8)) }
        do {
            _ = try CompleteMultipartRequest.parse(Array(xml.utf8))
        } catch {
            #expect(error.code == code)
        }
    }

    @Test("10,000 parts parse; a megabyte of garbage is MalformedXML")
    func sizes() throws {
        let big = Self.body((1...10_000).map { ($0, "\"0123456789abcdef0123456789abcdef\"") })
        #expect(try CompleteMultipartRequest.parse(big).parts.count == 10_000)
        var garbage = [UInt8](repeating: 0, count: 1 << 20)
        for i in garbage.indices { garbage[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 7) }
        do {
            _ = try CompleteMultipartRequest.parse(garbage)
            Issue.record("garbage parsed")
        } catch {
            #expect(error.code == "MalformedXML")
        }
    }

    @Test("the plan chains the parts' data with cumulative offsets and S3's multipart ETag")
    func plan() throws {
        let parts = [
            Self.part(1, size: 5 * Self.mib), Self.part(2, size: 6 * Self.mib), Self.part(3, size: 10),
        ]
        let request = CompleteMultipartRequest(
            parts: parts.map { .init(partNumber: $0.partNumber, eTag: $0.eTag) })
        let plan = try CompletionPlan.make(request, parts: parts.reversed(), upload: Self.upload())
        #expect(plan.locations.map(\.start) == [0, 5 * Self.mib, 11 * Self.mib])
        #expect(plan.locations.map(\.key) == ["k1", "k2", "k3"])
        #expect(plan.size == 11 * Self.mib + 10)
        #expect(plan.partSizes == [5 * Self.mib, 6 * Self.mib, 10])
        let binary = parts.flatMap { Hex.decode($0.eTag)! }
        #expect(plan.eTag == Hex.encode(MD5.hash(binary)) + "-3")
        #expect(plan.unused.isEmpty)
        #expect(plan.checksum == nil)
    }

    @Test("parts left out are returned as unused")
    func unused() throws {
        let parts = [Self.part(1, size: 5 * Self.mib), Self.part(2, size: 1), Self.part(3, size: 1)]
        let request = CompleteMultipartRequest(parts: [
            .init(partNumber: 1, eTag: parts[0].eTag), .init(partNumber: 3, eTag: parts[2].eTag),
        ])
        let plan = try CompletionPlan.make(request, parts: parts, upload: Self.upload())
        #expect(plan.unused.map(\.partNumber) == [2])
        #expect(plan.locations.map(\.start) == [0, 5 * Self.mib])
    }

    @Test(
        "a missing part or a wrong ETag is InvalidPart; a small part before the last is EntityTooSmall",
        arguments: [
            ([(1, "wrong")], "InvalidPart"), ([(4, "")], "InvalidPart"),
            ([(1, "p1"), (2, "p2"), (3, "p3")], "EntityTooSmall"),
        ])
    func planRefused(wanted: [(Int, String)], code: String) {
        let parts = [Self.part(1, size: 5 * Self.mib), Self.part(2, size: 1), Self.part(3, size: 1)]
        let request = CompleteMultipartRequest(
            parts: wanted.map { number, tag in
                .init(
                    partNumber: number, eTag: tag.hasPrefix("p") ? parts[Int(tag.dropFirst())! - 1].eTag : tag
                )
            })
        do {
            _ = try CompletionPlan.make(request, parts: parts, upload: Self.upload())
            Issue.record("accepted")
        } catch {
            #expect(error.code == code)
        }
    }

    @Test("a checksummed upload gets S3's composite checksum: the checksum of the part checksums, then -N")
    func composite() throws {
        let sums = [Base64.encode(Self.crc32(Array("a".utf8))), Base64.encode(Self.crc32(Array("b".utf8)))]
        let parts = [
            Self.part(1, size: 5 * Self.mib, checksum: sums[0]), Self.part(2, size: 3, checksum: sums[1]),
        ]
        let request = CompleteMultipartRequest(
            parts: [
                .init(partNumber: 1, eTag: parts[0].eTag, checksums: [.crc32: sums[0]]),
                .init(partNumber: 2, eTag: parts[1].eTag, checksums: [.crc32: sums[1]]),
            ])
        let plan = try CompletionPlan.make(request, parts: parts, upload: Self.upload(algorithm: "CRC32"))
        let expected = Base64.encode(Self.crc32(sums.flatMap { Base64.decode($0)! })) + "-2"
        #expect(plan.checksum == Checksum(algorithm: "CRC32", value: expected, type: "COMPOSITE"))
        let unnamed = CompleteMultipartRequest(parts: [
            .init(partNumber: 1, eTag: parts[0].eTag, checksums: [.crc32: sums[0]]),
            .init(partNumber: 2, eTag: parts[1].eTag),
        ])
        #expect(throws: S3Error.self) {
            try CompletionPlan.make(unnamed, parts: parts, upload: Self.upload(algorithm: "CRC32"))
        }
        let wrong = CompleteMultipartRequest(parts: [
            .init(partNumber: 1, eTag: parts[0].eTag, checksums: [.crc32: sums[1]])
        ])
        #expect(throws: S3Error.self) {
            try CompletionPlan.make(wrong, parts: parts, upload: Self.upload(algorithm: "CRC32"))
        }
    }

    @Test(
        "copy-source ranges follow UploadPartCopy's rules",
        arguments: [
            ("bytes=0-9", "0-9"), ("bytes=5-5", "5-5"), ("bytes=0-100", "InvalidRange"),
            ("bytes=5-2", "InvalidArgument"),
            ("bytes=-5", "InvalidArgument"), ("bytes=3-", "InvalidArgument"),
            ("items=0-1", "InvalidArgument"),
        ])
    func copyRanges(header: String, expected: String) {
        do {
            let range = try RequestContext.copySourceRange(header, size: 100)!
            #expect("\(range.lowerBound)-\(range.upperBound)" == expected)
        } catch {
            #expect(error.code == expected)
        }
    }

    @Test("partNumber reads address one part; a plain object is one part")
    func partReads() throws {
        var md = ObjectMD(key: "k", size: 25, eTag: "", lastModified: 0, ownerID: "", ownerDisplayName: "")
        md.partSizes = [10, 10, 5]
        #expect(try MultipartReads.range(md, partNumber: "2", header: nil) == (10...19, 3))
        #expect(try MultipartReads.range(md, partNumber: "3", header: nil) == (20...24, 3))
        #expect(throws: S3Error.self) { try MultipartReads.range(md, partNumber: "4", header: nil) }
        #expect(throws: S3Error.self) { try MultipartReads.range(md, partNumber: "0", header: nil) }
        #expect(throws: S3Error.self) { try MultipartReads.range(md, partNumber: "1", header: "bytes=0-1") }
        md.partSizes = nil
        #expect(try MultipartReads.range(md, partNumber: "1", header: nil) == (0...24, nil))
        #expect(throws: S3Error.self) { try MultipartReads.range(md, partNumber: "2", header: nil) }
    }

    @Test("upload IDs are URL-safe, unique, and sort in initiation order")
    func uploadIDs() {
        let first = MultipartCatalog.newUploadID(now: 1_000)
        let second = MultipartCatalog.newUploadID(now: 1_001)
        #expect(first < second)
        #expect(first != MultipartCatalog.newUploadID(now: 1_000))
        #expect(first.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        #expect(MultipartCatalog.partKey(uploadID: "u", partNumber: 42) == Array("Pu\u{0}00042".utf8))
    }

    @Test(
        "CRCs of pieces combine into the CRC of the whole",
        arguments: [ChecksumAlgorithm.crc32, .crc32c, .crc64nvme])
    func combine(algorithm: ChecksumAlgorithm) throws {
        let pieces: [[UInt8]] = [
            Array("hello ".utf8), [], Array(repeating: 7, count: 100_003), Array("world".utf8),
        ]
        func crc(_ bytes: [UInt8]) -> [UInt8] {
            let hasher = algorithm.makeHasher()
            hasher.update(bytes)
            return hasher.finalize()
        }
        let combined = MultipartChecksumCombine.combine(algorithm, pieces.map { (crc($0), Int64($0.count)) })
        #expect(combined == crc(pieces.flatMap { $0 }))
        #expect(MultipartChecksumCombine.combine(.sha256, [([1], 1)]) == nil)
    }

    @Test("a FULL_OBJECT upload gets the CRC of the whole object")
    func fullObject() throws {
        let data: [[UInt8]] = [Array(repeating: 1, count: Int(5 * Self.mib)), Array("tail".utf8)]
        let sums = data.map { Base64.encode(Self.crc32($0)) }
        let parts = [
            Self.part(1, size: 5 * Self.mib, checksum: sums[0]), Self.part(2, size: 4, checksum: sums[1]),
        ]
        var upload = Self.upload(algorithm: "CRC32")
        upload.checksumType = "FULL_OBJECT"
        let request = CompleteMultipartRequest(
            parts: parts.map { .init(partNumber: $0.partNumber, eTag: $0.eTag) })
        let plan = try CompletionPlan.make(request, parts: parts, upload: upload)
        #expect(
            plan.checksum
                == Checksum(
                    algorithm: "CRC32", value: Base64.encode(Self.crc32(data.flatMap { $0 })),
                    type: "FULL_OBJECT"))
    }
}
