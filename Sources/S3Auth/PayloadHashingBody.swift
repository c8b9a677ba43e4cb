import Digest
import HTTP

/// Passes the body through while hashing it; at the end the SHA-256 must equal the
/// `x-amz-content-sha256` the client signed, else `read` throws `xAmzContentSHA256Mismatch`.
final class PayloadHashingBody: ByteSource {
    private let inner: any ByteSource
    private let expected: String
    private let hasher = SHA256()
    private var failure: (any Error)?
    private var finished = false

    /// `expected` is lowercase hex.
    init(_ inner: any ByteSource, expected: String) {
        self.inner = inner
        self.expected = expected
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let failure { throw failure }
        if finished { return 0 }
        let n: Int
        do { n = try inner.read(into: buffer) } catch {
            failure = error
            throw error
        }
        if n > 0 {
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            return n
        }
        let computed = Hex.encode(hasher.finalize())
        guard constantTimeEquals(computed, expected) else {
            let error = AuthError.xAmzContentSHA256Mismatch(clientComputed: expected, s3Computed: computed)
            failure = error
            throw error
        }
        finished = true
        return 0
    }
}
