import Digest
import HTTP

/// Passes the body through while computing its MD5; at the end it must equal the
/// Content-MD5 the client sent, else `read` throws `badDigest`.
final class ContentMD5Body: ByteSource {
    private let inner: any ByteSource
    private let expected: [UInt8]
    private let hasher = MD5()
    private var failure: (any Error)?
    private var finished = false

    /// `expected` is the decoded Content-MD5 (16 bytes).
    init(_ inner: any ByteSource, expected: [UInt8]) {
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
        guard constantTimeEquals(hasher.finalize(), expected) else {
            failure = AuthError.badDigest
            throw AuthError.badDigest
        }
        finished = true
        return 0
    }
}
