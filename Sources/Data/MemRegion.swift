import HTTP

/// Immutable stored bytes, shared by the backend and any reader still streaming them after a
/// delete.
final class MemBlob: Sendable {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// A byte source over part of a `MemBlob`.
final class MemRegion: ByteSource {
    private let blob: MemBlob
    private var position: Int
    private let end: Int

    init(_ blob: MemBlob, offset: Int, length: Int) {
        self.blob = blob
        self.position = offset
        self.end = offset + length
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, end - position)
        if n == 0 { return 0 }
        blob.bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }
}
