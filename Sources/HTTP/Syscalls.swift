import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a system call, retrying `EINTR`; throws `IOError` when it fails.
@discardableResult
func syscall<T: BinaryInteger>(where function: String, _ call: () -> T) throws(IOError) -> T {
    while true {
        let result = call()
        if result >= 0 { return result }
        let code = clinux_errno()
        if code == EINTR { continue }
        throw IOError(errno: code, function: function)
    }
}

/// Nanoseconds of the monotonic clock (never jumps with wall-clock changes).
package func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Sets an integer socket option.
func setSocketOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws(IOError) {
    var v = value
    try syscall(where: "setsockopt") {
        setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
    }
}

/// Sets SO_RCVTIMEO and SO_SNDTIMEO: a blocking read or write waiting longer fails with EAGAIN.
func setSocketTimeouts(_ fd: Int32, seconds: Double) throws(IOError) {
    let whole = seconds.rounded(.down)
    var tv = timeval(tv_sec: Int(whole), tv_usec: Int((seconds - whole) * 1_000_000))
    let size = socklen_t(MemoryLayout<timeval>.size)
    try syscall(where: "setsockopt") { setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, size) }
    try syscall(where: "setsockopt") { setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, size) }
}

/// A listening socket bound to `host` (an IPv4 or IPv6 literal, brackets allowed, or `localhost`)
/// and `port`; returns the socket and the port actually bound. An IPv6 socket is IPv6-only when
/// `v6Only`, so that `0.0.0.0` and `::` can both be bound on one port; otherwise `::` also
/// accepts IPv4 clients (dual stack).
func makeListenSocket(host: String, port: Int, v6Only: Bool, backlog: Int32 = 1024) throws(IOError) -> (
    fd: Int32, port: Int
) {
    var host = host
    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    if host == "localhost" { host = "127.0.0.1" }
    var v4 = sockaddr_in()
    var v6 = sockaddr_in6()
    let isV6: Bool
    if inet_pton(AF_INET, host, &v4.sin_addr) == 1 {
        isV6 = false
        v4.sin_family = sa_family_t(AF_INET)
        v4.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
    } else if inet_pton(AF_INET6, host, &v6.sin6_addr) == 1 {
        isV6 = true
        v6.sin6_family = sa_family_t(AF_INET6)
        v6.sin6_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
    } else {
        throw IOError(errno: EINVAL, function: "inet_pton(\(host))")
    }
    let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    let fd = try syscall(where: "socket") { socket(isV6 ? AF_INET6 : AF_INET, type, 0) }
    let bindWhere = "bind " + (isV6 ? "[\(host)]" : host) + ":\(port)"
    do {
        try setSocketOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        if isV6 { try setSocketOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, v6Only ? 1 : 0) }
        if isV6 {
            try syscall(where: bindWhere) {
                withUnsafePointer(to: &v6) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                    }
                }
            }
        } else {
            try syscall(where: bindWhere) {
                withUnsafePointer(to: &v4) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
        }
        try syscall(where: "listen") { listen(fd, backlog) }
        var bound = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        try syscall(where: "getsockname") {
            withUnsafeMutablePointer(to: &bound) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
        }
        return (fd, socketAddressPort(bound))
    } catch {
        close(fd)
        throw error
    }
}

/// The port of an IPv4 or IPv6 socket address.
func socketAddressPort(_ address: sockaddr_storage) -> Int {
    var copy = address
    return withUnsafePointer(to: &copy) { p in
        if Int32(address.ss_family) == AF_INET6 {
            return p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                Int(UInt16(bigEndian: $0.pointee.sin6_port))
            }
        }
        return p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
            Int(UInt16(bigEndian: $0.pointee.sin_port))
        }
    }
}

/// The host part of an IPv4 or IPv6 socket address as text (`127.0.0.1`, `::1`).
func socketAddressHost(_ address: sockaddr_storage) -> String {
    var copy = address
    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
    let ok = withUnsafePointer(to: &copy) { p -> Bool in
        if Int32(address.ss_family) == AF_INET6 {
            return p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { a in
                var addr = a.pointee.sin6_addr
                return inet_ntop(AF_INET6, &addr, &text, socklen_t(text.count)) != nil
            }
        }
        return p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { a in
            var addr = a.pointee.sin_addr
            return inet_ntop(AF_INET, &addr, &text, socklen_t(text.count)) != nil
        }
    }
    guard ok else { return "" }
    return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}
