import Digest
import HTTP

/// The body of a request signed with a hex `x-amz-content-sha256`: its SHA-256 must match,
/// else `read` throws `xAmzContentSHA256Mismatch` when the body is complete.
final class PayloadHashingBody: DigestCheckingBody {
    private let expected: String

    /// `expected` is lowercase hex; `length` is the Content-Length when known.
    init(_ inner: any ByteSource, expected: String, length: Int64?) {
        self.expected = expected
        super.init(inner, hasher: SHA256(), length: length)
    }

    override func check(_ digest: [UInt8]) throws(AuthError) {
        let computed = Hex.encode(digest)
        guard constantTimeEquals(computed, expected) else {
            throw .xAmzContentSHA256Mismatch(clientComputed: expected, s3Computed: computed)
        }
    }
}
