import CLinux
import Locks

#if canImport(Glibc)
    import Glibc
#endif

/// A pipe that moves bytes from one plain socket to another with `splice(2)`: the kernel hands
/// the received pages on without copying them into user space and back (a gateway's GET of
/// remote data). Both sockets are blocking with receive and send timeouts, which `splice`
/// honours. Closed when released.
final class SocketSplice {
    /// Which side failed: the socket read from, or the one written to.
    enum Failure: Error {
        /// Reading failed or timed out.
        case source(IOError)
        /// The source ended before the count.
        case sourceEnded
        /// Writing failed or timed out.
        case destination(IOError)
    }

    /// The pipe capacity asked for: fewer, larger moves.
    private static let pipeSize: Int32 = 1 << 20

    private let readEnd: Int32
    private let writeEnd: Int32
    private let capacity: Int64

    /// Nil when no pipe can be made (descriptors exhausted): the caller copies instead.
    init?() {
        var fds: (Int32, Int32) = (-1, -1)
        let capacity = withUnsafeMutableBytes(of: &fds) { raw in
            clinux_pipe(raw.baseAddress!.assumingMemoryBound(to: Int32.self), Self.pipeSize)
        }
        guard capacity > 0 else { return nil }
        (readEnd, writeEnd, self.capacity) = (fds.0, fds.1, Int64(capacity))
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Moves exactly `count` bytes from `source` to `destination`, in a marked wait
    /// (`BlockingWait`) as a whole.
    func move(_ count: Int64, from source: Int32, to destination: Int32) throws(Failure) {
        try BlockingWait.around { () throws(Failure) in
            var left = count
            while left > 0 {
                let filled = try Self.step(from: source, to: writeEnd, max: min(left, capacity)) {
                    .source($0)
                }
                if filled == 0 { throw .sourceEnded }
                var inPipe = filled
                while inPipe > 0 {
                    inPipe -= try Self.step(from: readEnd, to: destination, max: inPipe) { .destination($0) }
                }
                left -= filled
            }
        }
    }

    /// One `splice` call, retried on EINTR; EAGAIN on a blocking socket is its timeout.
    private static func step(
        from: Int32, to: Int32, max: Int64, _ failure: (IOError) -> Failure
    ) throws(Failure) -> Int64 {
        while true {
            let n = clinux_splice(from, to, UInt(max))
            if n >= 0 { return Int64(n) }
            let code = clinux_errno()
            if code == EINTR { continue }
            throw failure(IOError(errno: code == EAGAIN ? ETIMEDOUT : code, function: "splice"))
        }
    }
}
