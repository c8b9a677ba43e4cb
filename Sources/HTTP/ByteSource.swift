#if canImport(Glibc)
    import Glibc
#endif

/// A pull stream of bytes: request bodies, stored object data, decoded aws-chunked payloads.
///
/// One reader at a time. `read` blocks until at least one byte is available, the stream ends
/// (returns 0) or it fails (throws: a socket error, a timeout, a verification failure of a
/// wrapping source). Errors carry their own type; S3API translates them in one place.
package protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes into `buffer`; returns how many, 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

extension ByteSource {
    /// Reads everything left, up to `limit` bytes; throws `ByteSourceError.tooLarge` past it.
    package func readAll(limit: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try read(into: $0) }
            if n == 0 { return result }
            if result.count + n > limit { throw ByteSourceError.tooLarge }
            result.append(contentsOf: chunk[0..<n])
        }
    }
}

/// A source whose bytes arrive on a plain socket (a remote response body): the response writer
/// has the kernel splice them to the client's socket instead of copying them through a buffer.
package protocol SocketForwardingSource: ByteSource {
    /// Sends the next `count` bytes of the source to `transport`; false, having sent nothing,
    /// when they cannot be spliced (TLS, an unsized body, no pipe): the caller reads instead.
    /// Failures of the source throw as its reads do; failures of the destination throw
    /// `IOError`.
    func forward(_ count: Int64, to transport: TCPTransport) throws -> Bool
}

/// Failures common to every byte source.
package enum ByteSourceError: Error, Equatable {
    /// More bytes than the reader accepts.
    case tooLarge
    /// The stream ended before its declared length.
    case truncated
}

/// A byte source over bytes already in memory.
package final class BufferSource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0

    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - position)
        if n == 0 { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }
}

/// A region of an open file; the server sends it with `sendfile(2)` when the connection is
/// plain TCP, and reads it like any other source otherwise. Owns and closes `fd`.
package final class FileRegion: ByteSource {
    package let fd: Int32
    package private(set) var offset: Int64
    package private(set) var remaining: Int64

    package init(fd: Int32, offset: Int64, length: Int64) {
        self.fd = fd
        self.offset = offset
        self.remaining = length
    }

    /// Records that `count` bytes were sent by other means (sendfile).
    package func advance(by count: Int64) {
        offset += count
        remaining -= count
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if remaining == 0 { return 0 }
        let want = Int(min(Int64(buffer.count), remaining))
        while true {
            let n = pread(fd, buffer.baseAddress, want, off_t(offset))
            if n > 0 {
                advance(by: Int64(n))
                return n
            }
            if n == 0 { throw ByteSourceError.truncated }
            if errno == EINTR { continue }
            throw IOError(errno: errno, function: "pread")
        }
    }

    deinit { close(fd) }
}
