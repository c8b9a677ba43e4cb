#if canImport(Glibc)
    import Glibc
#endif

/// Where and how the server listens.
package struct HTTPServerConfiguration: Sendable {
    /// One address to bind: an IPv4 or IPv6 literal (no brackets) and a port (0 = ephemeral).
    package struct ListenAddress: Sendable, Equatable {
        package var host: String
        package var port: Int
        package init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    package var listen: [ListenAddress]
    package var limits: HTTPLimits
    /// Worker threads running handlers (blocking I/O). Default: 64.
    package var workerCount: Int
    /// Of the workers, how many run at once outside waits on sockets, the disk or commits
    /// (`WorkQueue`). Default: twice the online processors.
    package var runningWorkerLimit: Int
    /// Event-loop threads (epoll). Default: 1.
    package var eventLoopCount: Int
    /// Certificate and key: every listen address speaks HTTPS. Default: nil, plain HTTP.
    package var tls: TLSServerContext?

    package init(
        listen: [ListenAddress], limits: HTTPLimits = HTTPLimits(), workerCount: Int = 64,
        eventLoopCount: Int = 1, runningWorkerLimit: Int? = nil, tls: TLSServerContext? = nil
    ) {
        self.runningWorkerLimit = runningWorkerLimit ?? 2 * max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        self.listen = listen
        self.limits = limits
        self.workerCount = workerCount
        self.eventLoopCount = eventLoopCount
        self.tls = tls
    }
}

/// Limits that protect the server from hostile or broken clients.
package struct HTTPLimits: Sendable {
    /// Request line + headers, in bytes. Over it: 431 and close. Default: 64 KiB.
    package var maxHeadBytes = 64 * 1024
    /// Header fields per request. Over it: 431 and close. Default: 200.
    package var maxHeaderCount = 200
    /// Seconds from a request's first byte to the end of its headers (slowloris); on TLS, from
    /// accept, so the handshake counts too. Default: 10.
    package var headerTimeout: Double = 10
    /// Seconds an idle keep-alive connection is kept. Default: 60.
    package var idleTimeout: Double = 60
    /// Seconds a blocking body read or response write may wait. Default: 60.
    package var ioTimeout: Double = 60
    /// Open connections; past it new ones are accepted and closed at once. Default: 10,000.
    package var maxConnections = 10_000
    /// Seconds shutdown waits for in-flight requests. Default: 20.
    package var shutdownGrace: Double = 20

    package init() {}
}
