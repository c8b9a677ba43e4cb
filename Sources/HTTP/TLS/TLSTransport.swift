import CLinux
import Locks

#if canImport(Glibc)
    import Glibc
#endif

/// TLS over a socket that stays non-blocking for its whole life.
///
/// The server's handshake is driven by readiness: the event loop calls `receiveNow` whenever
/// the socket is ready, each call advances the handshake as far as the bytes at hand allow
/// and answers nil (with `awaitsWritable` telling which readiness to wait for) until
/// application data arrives. No thread ever waits on a slow or silent client; the header
/// timeout, counted from accept, closes a handshake that never ends (see `ConnectionPolicy`).
///
/// The blocking calls of workers and clients (`receive`, `send`) wait with `poll` for at most
/// the I/O timeout per wait, as a plain socket's SO_RCVTIMEO/SO_SNDTIMEO do.
package final class TLSTransport: Transport {
    package let fd: Int32
    private let connection: SSLConnection
    private let timeoutMilliseconds: Int32
    package private(set) var awaitsWritable = false

    /// Wraps the non-blocking socket `fd` (this transport closes it). The handshake starts with
    /// the first `receiveNow`, `receive` or `send`, or with `handshake(deadline:)`.
    /// - Throws: `IOError` (`EPROTO`) when OpenSSL cannot make the connection (out of memory).
    init(fd: Int32, context: SSLContext, ioTimeout: Double) throws(IOError) {
        Self.ignoreBrokenPipe
        self.fd = fd
        do throws(TLSError) {
            self.connection = try context.makeConnection(fd: fd)
        } catch {
            throw error.ioError
        }
        self.timeoutMilliseconds = Int32(clamping: Int64(max(0.001, ioTimeout) * 1000))
    }

    /// OpenSSL's socket BIO writes with write(2), not send(MSG_NOSIGNAL): a peer gone would
    /// raise SIGPIPE and end the process. Set once, on the first TLS connection.
    private static let ignoreBrokenPipe: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Client side: sets the name checked against the server's certificate and sent in SNI.
    func expect(host: String) throws(IOError) {
        do throws(TLSError) {
            try connection.expect(host: host)
        } catch {
            throw error.ioError
        }
    }

    package var canSendFile: Bool { false }
    package var isTLS: Bool { true }
    package var hasBufferedInput: Bool { connection.pendingBytes > 0 }

    /// Completes the handshake, waiting for the socket as needed until `deadline` (monotonic
    /// ns); a client's certificate and name checks happen here.
    func handshake(deadline: UInt64) throws(IOError) {
        while true {
            switch connection.handshake() {
            case .done: return
            case .wantRead: try wait(POLLIN, "SSL_do_handshake", until: deadline)
            case .wantWrite: try wait(POLLOUT, "SSL_do_handshake", until: deadline)
            case .closed:
                throw IOError(errno: ECONNRESET, function: "SSL_do_handshake", detail: "peer closed")
            case .failed(let error): throw error
            }
        }
    }

    package func receiveNow(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int? {
        awaitsWritable = false
        if !connection.isEstablished {
            switch connection.handshake() {
            case .done: break
            case .wantRead: return nil
            case .wantWrite:
                awaitsWritable = true
                return nil
            case .closed: return 0
            case .failed(let error): throw error
            }
        }
        if buffer.isEmpty { return 0 }
        switch connection.read(into: buffer) {
        case .done(let n): return n
        case .wantRead: return nil
        case .wantWrite:
            awaitsWritable = true
            return nil
        case .closed: return 0
        case .failed(let error): throw error
        }
    }

    package func receive(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        while true {
            if let n = try receiveNow(into: buffer) { return n }
            try wait(awaitsWritable ? POLLOUT : POLLIN, "SSL_read", until: deadline())
        }
    }

    package func send(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
        var offset = 0
        while offset < bytes.count {
            switch connection.write(UnsafeRawBufferPointer(rebasing: bytes[offset...])) {
            case .done(let n): offset += n
            case .wantRead: try wait(POLLIN, "SSL_write", until: deadline())
            case .wantWrite: try wait(POLLOUT, "SSL_write", until: deadline())
            case .closed: throw IOError(errno: EPIPE, function: "SSL_write")
            case .failed(let error): throw error
            }
        }
    }

    /// Two writes: each becomes its own TLS records, and the response writer already copies
    /// small bodies behind the head.
    package func send(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) throws(IOError) {
        try send(first)
        try send(second)
    }

    /// The kernel cannot encrypt for us: callers check `canSendFile` and copy instead.
    package func sendFile(_ region: FileRegion, count: Int64) throws {
        throw IOError(errno: EOPNOTSUPP, function: "sendfile", detail: "not over TLS")
    }

    package func shutdownWrite() {
        connection.sendCloseNotify()
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    package func close() {
        connection.sendCloseNotify()
        _ = Glibc.close(fd)
    }

    private func deadline() -> UInt64 { monotonicNanoseconds() + UInt64(timeoutMilliseconds) * 1_000_000 }

    /// Waits until `fd` is ready for `events` (or hung up: the next OpenSSL call reports it).
    private func wait(_ events: Int32, _ function: String, until deadline: UInt64) throws(IOError) {
        var poller = pollfd(fd: fd, events: Int16(events), revents: 0)
        while true {
            let now = monotonicNanoseconds()
            if now >= deadline { throw IOError(errno: ETIMEDOUT, function: function) }
            let left = Int32(clamping: (deadline - now + 999_999) / 1_000_000)
            let n = BlockingWait.around { poll(&poller, 1, left) }
            if n > 0 { return }
            if n < 0 && clinux_errno() != EINTR { throw IOError(errno: clinux_errno(), function: "poll") }
        }
    }
}
