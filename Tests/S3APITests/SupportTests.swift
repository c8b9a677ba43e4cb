import Testing

@testable import S3API

@Suite("S3API support") struct SupportTests {
    @Test(
        "bucket names follow S3's rules",
        arguments: [
            ("abc", true), ("my-bucket.data", true), ("ab", false),
            (String(repeating: "a", count: 64), false),
            ("Abc", false), ("-abc", false), ("abc-", false), ("a..b", false), ("192.168.1.1", false),
            ("xn--abc", false), ("abc-s3alias", false), ("a_b", false), ("1bucket", true),
        ])
    func bucketNames(name: String, valid: Bool) {
        #expect(BucketName.isValid(name) == valid)
    }

    @Test(
        "ranges resolve as S3 resolves them",
        arguments: [
            ("bytes=0-9", Int64(100), (Int64(0), Int64(9))), ("bytes=90-", 100, (90, 99)),
            ("bytes=-5", 100, (95, 99)),
            ("bytes=-500", 100, (0, 99)), ("bytes=10-1000", 100, (10, 99)),
        ])
    func ranges(header: String, size: Int64, expected: (Int64, Int64)) throws {
        let range = try ByteRange.resolve(header, size: size)
        #expect(range == expected.0...expected.1)
    }

    @Test(
        "ranges S3 ignores give the whole object",
        arguments: ["bytes=5-2", "items=0-1", "bytes=0-1,4-5", "bytes=x-"])
    func ignoredRanges(header: String) throws {
        #expect(try ByteRange.resolve(header, size: 10) == nil)
    }

    @Test("a range starting past the end is InvalidRange")
    func unsatisfiable() {
        #expect(throws: S3Error.self) { try ByteRange.resolve("bytes=10-", size: 10) }
        #expect(throws: S3Error.self) { try ByteRange.resolve("bytes=-0", size: 10) }
    }

    @Test("conditions follow S3's precedence")
    func conditions() {
        var c = Conditions(.init())
        c.ifMatch = "\"abc\""
        c.ifUnmodifiedSince = 0
        #expect(c.evaluate(eTag: "abc", lastModified: 5000) == .proceed)
        c.ifMatch = "\"zzz\""
        #expect(c.evaluate(eTag: "abc", lastModified: 5000) == .preconditionFailed)
        c = Conditions(.init())
        c.ifNoneMatch = "\"abc\""
        c.ifModifiedSince = 0
        #expect(c.evaluate(eTag: "abc", lastModified: 5000) == .notModified)
        c.ifNoneMatch = "\"other\""
        #expect(c.evaluate(eTag: "abc", lastModified: 5000) == .proceed)
        c = Conditions(.init())
        c.ifModifiedSince = 10_000
        #expect(c.evaluate(eTag: "abc", lastModified: 5000) == .notModified)
        #expect(Conditions.matches("*", "x"))
        #expect(Conditions.matches("\"a\", \"b\"", "b"))
    }

    @Test("dates format and parse in S3's forms")
    func dates() {
        let ms: Int64 = 1_795_000_000_123
        #expect(HTTPDate.iso8601(milliseconds: ms) == "2026-11-18T11:06:40.123Z")
        #expect(HTTPDate.rfc1123(milliseconds: ms) == "Wed, 18 Nov 2026 11:06:40 GMT")
        #expect(HTTPDate.parse("Wed, 18 Nov 2026 11:06:40 GMT") == 1_795_000_000_000)
        #expect(HTTPDate.parse("20261118T110640Z") == 1_795_000_000_000)
        #expect(HTTPDate.parse("2026-11-18T11:06:40.123Z") == 1_795_000_000_000)
        #expect(HTTPDate.parse("yesterday") == nil)
        #expect(HTTPDate.rfc1123(milliseconds: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
    }

    @Test("percent-encoding round-trips and treats + per context")
    func percent() {
        #expect(PercentEncoding.decode("a%20b+c", plusAsSpace: false) == "a b+c")
        #expect(PercentEncoding.decode("a%20b+c", plusAsSpace: true) == "a b c")
        #expect(PercentEncoding.decode("%e2%82%ac", plusAsSpace: false) == "€")
        #expect(PercentEncoding.decode("%zz", plusAsSpace: false) == nil)
        #expect(PercentEncoding.decode("%ff", plusAsSpace: false) == nil)
        #expect(PercentEncoding.encode("a b/€") == "a%20b%2F%E2%82%AC")
    }

    @Test("copy sources parse with and without a leading slash and a version")
    func copySource() throws {
        #expect(try CopySource.parse("/b/a%20key") == CopySource(bucket: "b", key: "a key", versionID: nil))
        #expect(
            try CopySource.parse("b/k/x?versionId=v1") == CopySource(bucket: "b", key: "k/x", versionID: "v1")
        )
        #expect(throws: S3Error.self) { try CopySource.parse("nobucket") }
    }
}
