import CLinux
import Locks

#if canImport(Glibc)
    import Glibc
#endif

/// Opens client connections: TCP to a host name or address within a connect timeout, then,
/// when asked, TLS with the server's certificate and name verified. Both kinds come back as
/// a `Transport` whose blocking reads and writes wait at most `ioTimeout` seconds each.
///
/// Blocks the calling thread (name resolution, connect, handshake): call it from a worker.
package enum TransportConnector {
    /// Connects to `host:port` over TCP, then over TLS when `tls` is given.
    ///
    /// With TLS the server's certificate must chain to `tls`'s trusted CAs and name
    /// `serverName` (default: `host`; a DNS name or an IP address), which is also sent as SNI
    /// when it is a name. The handshake must end within the same `connectTimeout` as the TCP
    /// connect.
    /// - Throws: `IOError`: `getaddrinfo` (unknown host, `detail` says why), `connect`
    ///   (`ECONNREFUSED`, `ETIMEDOUT` past `connectTimeout`...), or `EPROTO` from
    ///   `SSL_do_handshake` with OpenSSL's text in `detail`, e.g. `... certificate verify
    ///   failed: Hostname mismatch` or `...: unable to get local issuer certificate`.
    package static func connect(
        host: String, port: Int, tls: TLSClientConfiguration?, serverName: String? = nil,
        connectTimeout: Double, ioTimeout: Double
    ) throws(IOError) -> any Transport {
        guard let tls else {
            return try connectTCP(
                host: host, port: port, connectTimeout: connectTimeout, ioTimeout: ioTimeout)
        }
        let deadline = monotonicNanoseconds() + nanoseconds(connectTimeout)
        let fd = try openSocket(host: host, port: port, deadline: deadline)
        let transport: TLSTransport
        do throws(IOError) {
            transport = try TLSTransport(fd: fd, context: tls.context, ioTimeout: ioTimeout)
        } catch {
            Glibc.close(fd)
            throw error
        }
        do throws(IOError) {
            try transport.expect(host: unbracketed(serverName ?? host))
            try transport.handshake(deadline: deadline)
        } catch {
            transport.close()
            throw error
        }
        return transport
    }

    /// Connects to `host:port` over plain TCP (`TCP_NODELAY`; a blocking socket with
    /// `ioTimeout` as SO_RCVTIMEO/SO_SNDTIMEO).
    /// - Throws: `IOError` as `connect(...)` does before TLS.
    package static func connectTCP(host: String, port: Int, connectTimeout: Double, ioTimeout: Double)
        throws(IOError) -> TCPTransport
    {
        let fd = try openSocket(
            host: host, port: port, deadline: monotonicNanoseconds() + nanoseconds(connectTimeout))
        do throws(IOError) {
            let flags = try syscall(where: "fcntl") { fcntl(fd, F_GETFL) }
            try syscall(where: "fcntl") { fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
            try setSocketTimeouts(fd, seconds: ioTimeout)
        } catch {
            Glibc.close(fd)
            throw error
        }
        return TCPTransport(fd: fd)
    }

    /// A connected non-blocking socket: every address `getaddrinfo` gives for `host` is tried
    /// in turn until one connects or the deadline passes; the last failure is thrown.
    private static func openSocket(host: String, port: Int, deadline: UInt64) throws(IOError) -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        // No AI_ADDRCONFIG: on a machine with loopback only it hides `localhost` itself.
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let name = unbracketed(host)
        let rc = BlockingWait.around { getaddrinfo(name, String(port), &hints, &list) }
        guard rc == 0, let first = list else {
            throw IOError(
                errno: EHOSTUNREACH, function: "getaddrinfo(\(name))",
                detail: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(list) }
        var failure = IOError(errno: EHOSTUNREACH, function: "connect(\(name))")
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry?.pointee {
            entry = address.ai_next
            do throws(IOError) {
                return try connectOne(address, deadline: deadline)
            } catch {
                failure = error
                if error.errno == ETIMEDOUT { break }
            }
        }
        throw failure
    }

    private static func connectOne(_ address: addrinfo, deadline: UInt64) throws(IOError) -> Int32 {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = try syscall(where: "socket") { socket(address.ai_family, type, 0) }
        do throws(IOError) {
            try setSocketOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            if Glibc.connect(fd, address.ai_addr, address.ai_addrlen) != 0 {
                let code = clinux_errno()
                guard code == EINPROGRESS || code == EINTR else {
                    throw IOError(errno: code, function: "connect")
                }
                var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                while true {
                    let now = monotonicNanoseconds()
                    if now >= deadline { throw IOError(errno: ETIMEDOUT, function: "connect") }
                    let wait = Int32(clamping: (deadline - now + 999_999) / 1_000_000)
                    let n = BlockingWait.around { poll(&poller, 1, wait) }
                    if n > 0 { break }
                    if n < 0 && clinux_errno() != EINTR {
                        throw IOError(errno: clinux_errno(), function: "poll")
                    }
                }
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                try syscall(where: "getsockopt") { getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) }
                if error != 0 { throw IOError(errno: error, function: "connect") }
            }
            return fd
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    private static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    private static func nanoseconds(_ seconds: Double) -> UInt64 {
        UInt64(max(0.001, min(seconds, 1e9)) * 1e9)
    }
}
