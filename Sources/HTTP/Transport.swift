import CLinux
import Locks

#if canImport(Glibc)
    import Glibc
#endif

/// The byte pipe under a connection: plain TCP (`TCPTransport`) or TLS (`TLSTransport`), so
/// the parsers, the body readers and the response writer never know which.
///
/// Used by one thread at a time (the event loop or one worker). Blocking calls wait at most the
/// server's I/O timeout and then throw.
package protocol Transport: AnyObject {
    /// The socket, for epoll registration and forced shutdown.
    var fd: Int32 { get }
    /// Reads without waiting: bytes read, 0 at end of stream, nil if nothing is available yet.
    func receiveNow(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int?
    /// True when input waits in user space (decrypted TLS records): no socket readiness will
    /// announce it, so the event loop reads again before it waits.
    var hasBufferedInput: Bool { get }
    /// True when the last `receiveNow` answered nil because it must first write (a TLS
    /// handshake message that did not fit the socket buffer): wait for writable, not readable.
    var awaitsWritable: Bool { get }
    /// Reads, waiting for at least one byte; 0 at end of stream.
    func receive(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int
    /// Writes all of `bytes`.
    func send(_ bytes: UnsafeRawBufferPointer) throws(IOError)
    /// Writes all of `first` then all of `second`, in one system call when possible.
    func send(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) throws(IOError)
    /// True when `sendFile` may be used (not with TLS).
    var canSendFile: Bool { get }
    /// True for an encrypted transport (`HTTPRequest.isTLS`).
    var isTLS: Bool { get }
    /// Sends `count` bytes of `region` straight from the page cache, advancing it.
    func sendFile(_ region: FileRegion, count: Int64) throws
    /// Stops sending (FIN), keeping reads open for a lingering close.
    func shutdownWrite()
    /// Closes the socket.
    func close()
}

/// A plain TCP socket. The socket stays blocking with SO_RCVTIMEO/SO_SNDTIMEO set at accept, and
/// the event loop reads with MSG_DONTWAIT: no mode switch (two system calls) per request.
package final class TCPTransport: Transport {
    package let fd: Int32

    init(fd: Int32) { self.fd = fd }

    package var canSendFile: Bool { true }
    package var isTLS: Bool { false }
    package var hasBufferedInput: Bool { false }
    package var awaitsWritable: Bool { false }

    package func receiveNow(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int? {
        try receive(into: buffer, flags: Int32(MSG_DONTWAIT))
    }

    /// Waits in a marked wait (`BlockingWait`) only when nothing is there yet.
    package func receive(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        if let n = try receiveNow(into: buffer) { return n }
        return try BlockingWait.around { () throws(IOError) -> Int in
            // Blocking, EAGAIN means the receive timeout passed.
            guard let n = try receive(into: buffer, flags: 0) else {
                throw IOError(errno: ETIMEDOUT, function: "recv")
            }
            return n
        }
    }

    /// One `recv` with `flags`, retried on EINTR: bytes read, 0 at end of stream, nil on EAGAIN.
    private func receive(into buffer: UnsafeMutableRawBufferPointer, flags: Int32) throws(IOError) -> Int? {
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, flags)
            if n >= 0 { return n }
            let code = clinux_errno()
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return nil }
            throw IOError(errno: code, function: "recv")
        }
    }

    /// Waits in a marked wait (`BlockingWait`) only when the socket buffer is full.
    package func send(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
        let sent = try send(bytes, flags: Int32(MSG_DONTWAIT))
        if sent == bytes.count { return }
        let rest = UnsafeRawBufferPointer(rebasing: bytes[sent...])
        _ = try BlockingWait.around { () throws(IOError) -> Int in try send(rest, flags: 0) }
    }

    /// Sends `bytes` with `flags` (beside MSG_NOSIGNAL) and returns how many went: all of them,
    /// or fewer when MSG_DONTWAIT meets a full socket buffer. Blocking, EAGAIN is the send
    /// timeout and throws.
    private func send(_ bytes: UnsafeRawBufferPointer, flags: Int32) throws(IOError) -> Int {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.send(
                fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL) | flags)
            if n >= 0 {
                offset += n
                continue
            }
            let code = clinux_errno()
            if flags & Int32(MSG_DONTWAIT) != 0 && (code == EAGAIN || code == EWOULDBLOCK) { break }
            try failure(code, "send")
        }
        return offset
    }

    package func send(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) throws(IOError) {
        if first.isEmpty { return try send(second) }
        if second.isEmpty { return try send(first) }
        var parts = (
            iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress), iov_len: first.count),
            iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress), iov_len: second.count)
        )
        var message = msghdr()
        let n = withUnsafeMutablePointer(to: &parts) { p in
            p.withMemoryRebound(to: iovec.self, capacity: 2) { iov in
                message.msg_iov = iov
                message.msg_iovlen = 2
                return sendmsg(fd, &message, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
        }
        if n < 0 {
            let code = clinux_errno()
            if code == EAGAIN || code == EWOULDBLOCK {
                // Full socket buffer: the plain sends below wait (marked).
                try send(first)
                return try send(second)
            }
            if code != EINTR { try failure(code, "sendmsg") }
            return try send(first, second)
        }
        if n < first.count {
            try send(UnsafeRawBufferPointer(rebasing: first[n...]))
            try send(second)
        } else {
            try send(UnsafeRawBufferPointer(rebasing: second[(n - first.count)...]))
        }
    }

    /// A marked wait (`BlockingWait`) as a whole: it blocks on the socket and maybe the disk.
    package func sendFile(_ region: FileRegion, count: Int64) throws {
        try BlockingWait.around { () throws in try sendFileWaiting(region, count: count) }
    }

    private func sendFileWaiting(_ region: FileRegion, count: Int64) throws {
        var left = count
        while left > 0 {
            var offset = off_t(region.offset)
            let n = sendfile(fd, region.fd, &offset, Int(min(left, 1 << 30)))
            if n > 0 {
                region.advance(by: Int64(n))
                left -= Int64(n)
            } else if n == 0 {
                throw ByteSourceError.truncated
            } else {
                try failure(clinux_errno(), "sendfile")
            }
        }
    }

    /// Translates a write errno: EINTR returns (retry), a send timeout becomes ETIMEDOUT.
    private func failure(_ code: Int32, _ function: String) throws(IOError) {
        if code == EINTR { return }
        if code == EAGAIN || code == EWOULDBLOCK { throw IOError(errno: ETIMEDOUT, function: function) }
        throw IOError(errno: code, function: function)
    }

    package func shutdownWrite() { _ = Glibc.shutdown(fd, Int32(SHUT_WR)) }

    package func close() { _ = Glibc.close(fd) }
}
