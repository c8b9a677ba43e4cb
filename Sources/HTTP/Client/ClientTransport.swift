import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// Opening client connections. `openTransport` is the one seam where TLS plugs in: today it
/// makes plain TCP transports and refuses `https` endpoints; a TLS client transport
/// (certificate verification and SNI over OpenSSL) replaces that refusal, and nothing else of
/// the client changes.
enum ClientTransport {
    /// A connected transport to `endpoint`, its sends and receives bounded by `ioTimeout`.
    /// - Throws: `HTTPClientError.connect` when no address answers within `connectTimeout`,
    ///   `.tlsUnavailable` for `https`.
    static func openTransport(to endpoint: HTTPEndpoint, connectTimeout: Double, ioTimeout: Double)
        throws(HTTPClientError) -> any Transport
    {
        if endpoint.useTLS { throw .tlsUnavailable(endpoint) }
        let fd = try connectTCP(endpoint, timeout: connectTimeout)
        do {
            try setSocketOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            try setSocketTimeouts(fd, seconds: ioTimeout)
        } catch {
            close(fd)
            throw .connect(endpoint, error.description)
        }
        return TCPTransport(fd: fd)
    }

    /// A blocking TCP socket connected to one of `endpoint`'s addresses (tried in the
    /// resolver's order), all attempts within `timeout` seconds.
    static func connectTCP(_ endpoint: HTTPEndpoint, timeout: Double) throws(HTTPClientError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_ADDRCONFIG | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(endpoint.host, String(endpoint.port), &hints, &list)
        guard rc == 0, let first = list else {
            throw .connect(endpoint, "cannot resolve \(endpoint.host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        let deadline = monotonicNanoseconds() + UInt64(max(timeout, 0.001) * 1e9)
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(
                info.pointee.ai_family,
                Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if fd < 0 {
                lastError = IOError(errno: clinux_errno(), function: "socket").description
                continue
            }
            switch attempt(fd, info.pointee.ai_addr, info.pointee.ai_addrlen, deadline: deadline) {
            case nil:
                // Back to blocking mode: reads and writes wait with SO_RCVTIMEO/SO_SNDTIMEO.
                let flags = fcntl(fd, F_GETFL)
                _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
                return fd
            case let failure?:
                close(fd)
                lastError = failure
            }
            if monotonicNanoseconds() >= deadline { break }
        }
        throw .connect(endpoint, lastError)
    }

    /// Connects the non-blocking `fd`, waiting in `poll` until `deadline`; nil on success, else
    /// why it failed.
    private static func attempt(
        _ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t, deadline: UInt64
    ) -> String? {
        if Glibc.connect(fd, address, length) == 0 { return nil }
        var code = clinux_errno()
        guard code == EINPROGRESS || code == EINTR else {
            return IOError(errno: code, function: "connect").description
        }
        while true {
            let now = monotonicNanoseconds()
            if now >= deadline { return "timed out" }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let waited = poll(&poller, 1, Int32(min((deadline - now) / 1_000_000 + 1, 60_000)))
            if waited < 0 {
                if clinux_errno() == EINTR { continue }
                return IOError(errno: clinux_errno(), function: "poll").description
            }
            if waited == 0 { continue }
            var length = socklen_t(MemoryLayout<Int32>.size)
            code = 0
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
            return code == 0 ? nil : IOError(errno: code, function: "connect").description
        }
    }
}
