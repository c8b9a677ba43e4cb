import Data
import HTTP
import Testing

@testable import S3API

/// What clients see when a data location fails: never a 200, and a remote's trouble is a 503
/// that names the location.
@Suite("Data errors as S3 errors") struct S3ErrorTranslateTests {
    @Test(
        "each data error becomes its S3 error",
        arguments: [
            (
                DataError.unavailable("data location aws-test: connect to http://h:1: refused"),
                "ServiceUnavailable", 503
            ),
            (.lengthRequired, "MissingContentLength", 411),
            (.notFound, "InternalError", 500),
            (.insufficientStorage, "InsufficientStorage", 507),
            (.sizeMismatch(expected: 2, actual: 1), "IncompleteBody", 400),
            (.source(ByteSourceError.truncated), "IncompleteBody", 400),
            (
                .source(DataError.unavailable("data location src: reading data failed")),
                "ServiceUnavailable", 503
            ),
            (.source(S3Error.badDigest), "BadDigest", 400),
            (.notImplemented, "NotImplemented", 501),
        ] as [(DataError, String, Int)])
    func translated(error: DataError, code: String, status: Int) {
        let s3 = S3Error(error)
        #expect(s3.code == code)
        #expect(s3.status == status)
    }

    @Test("a 503 from a data location says which one and what happened")
    func unavailableMessage() {
        let s3 = S3Error(DataError.unavailable("data location aws-test: PutObject answered 403 AccessDenied"))
        #expect(
            s3.message
                == "Service is unable to handle request: data location aws-test: PutObject answered 403 AccessDenied."
        )
    }

    @Test(
        "a remote ETag that is an MD5 must be the MD5 of the bytes sent; other ETags are not compared",
        arguments: [
            ("5d41402abc4b2a76b9719d911017c592", true), ("00000000000000000000000000000000", false),
            ("5d41402abc4b2a76b9719d911017c592-2", true), (nil, true), ("not-an-md5", true),
        ] as [(String?, Bool)])
    func remoteETags(remote: String?, accepted: Bool) throws {
        let source = HashingSource(BufferSource(Array("hello".utf8)), checksum: nil, limit: 10)
        _ = try source.readAll(limit: 10)
        let verdict = Result { () throws(S3Error) in try RequestContext.verifyRemoteETag(remote, source) }
        #expect(((try? verdict.get()) != nil) == accepted)
    }
}
