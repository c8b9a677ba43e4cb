import Digest
import HTTP

/// The body of a request with Content-MD5: its MD5 must match, else `read` throws
/// `badDigest` when the body is complete.
final class ContentMD5Body: DigestCheckingBody {
    private let expected: [UInt8]

    /// `expected` is the decoded Content-MD5 (16 bytes); `length` the payload size when known.
    init(_ inner: any ByteSource, expected: [UInt8], length: Int64?) {
        self.expected = expected
        super.init(inner, hasher: MD5(), length: length)
    }

    override func check(_ digest: [UInt8]) throws(AuthError) {
        guard constantTimeEquals(digest, expected) else { throw .badDigest }
    }
}
