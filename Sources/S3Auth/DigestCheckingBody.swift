import Digest
import HTTP

/// Passes a body through while feeding a `Hasher`; when the body is complete the digest is
/// checked and a mismatch thrown from `read` instead of the end.
///
/// "Complete" is the end of the inner source, or `length` bytes when the length is known:
/// the check then runs on the read that delivers the last byte, so a reader that stops at the
/// declared size still gets it. No buffering: bytes are hashed in the caller's buffer.
class DigestCheckingBody: ByteSource {
    private let inner: any ByteSource
    private let hasher: any Hasher
    private let length: Int64?
    private var seen: Int64 = 0
    private var failure: (any Error)?
    private var finished = false

    init(_ inner: any ByteSource, hasher: any Hasher, length: Int64?) {
        self.inner = inner
        self.hasher = hasher
        self.length = length
    }

    /// Throws when `digest` is not the expected one.
    func check(_ digest: [UInt8]) throws(AuthError) {}

    final func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let failure { throw failure }
        if finished { return 0 }
        do {
            let n = try inner.read(into: buffer)
            if n > 0 {
                hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                seen += Int64(n)
            }
            if n == 0 || seen == length {
                finished = true
                try check(hasher.finalize())
            }
            return n
        } catch {
            failure = error
            throw error
        }
    }
}
