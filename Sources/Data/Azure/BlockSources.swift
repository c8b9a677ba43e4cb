import Digest
import HTTP

/// Passes a body through while computing the MD5 of the current block and, with `whole`, of
/// everything read: the backend compares the block's with the Content-MD5 the service answers,
/// and gives the whole object's MD5 to Put Block List (`x-ms-blob-content-md5`).
final class MD5Source: ByteSource {
    private let inner: any ByteSource
    private let whole: MD5?
    private let block = MD5()
    private(set) var count: Int64 = 0

    init(_ inner: any ByteSource, whole: Bool = false) {
        self.inner = inner
        self.whole = whole ? MD5() : nil
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try inner.read(into: buffer)
        if n > 0 {
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            whole?.update(bytes)
            block.update(bytes)
            count += Int64(n)
        }
        return n
    }

    /// The MD5 of the bytes read since the last call (or the start).
    func finishBlock() -> [UInt8] {
        let digest = block.finalize()
        block.reset()
        return digest
    }

    /// The MD5 of everything read (asked for with `whole`); read no more after.
    func finish() -> [UInt8] { whole?.finalize() ?? [] }
}

/// At most `limit` bytes of another source: one block of a body streamed block by block.
final class LimitedSource: ByteSource {
    private let inner: any ByteSource
    private var remaining: Int64

    init(_ inner: any ByteSource, limit: Int64) {
        self.inner = inner
        self.remaining = limit
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard remaining > 0, buffer.count > 0 else { return 0 }
        let want = Int(min(Int64(buffer.count), remaining))
        let n = try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
        remaining -= Int64(n)
        return n
    }
}
