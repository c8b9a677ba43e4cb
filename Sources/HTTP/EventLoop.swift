import CLinux
import Locks
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// An epoll thread: accepts connections (the first loop), reads request heads, holds idle
/// keep-alive connections and enforces the header and idle timeouts.
///
/// Connections are registered level-triggered with EPOLLONESHOT: one readiness event disarms the
/// socket, so exactly one thread owns a connection at a time. A head that completes goes to the
/// work queue; the worker hands the connection back through `hand(_:)` and the loop re-arms it.
/// A TLS connection handshakes here too, one non-blocking step per readiness event; one whose
/// transport already holds decrypted input is read again at once instead of armed (`ready`).
///
/// `@unchecked Sendable`: `inbox` is a `Locked` value and the epoll/eventfd descriptors are thread-safe;
/// every other property is used only on the loop's own thread (set before it starts).
final class EventLoop: @unchecked Sendable {
    private static let wakeTag: UInt64 = 1 << 40
    private static let listenTag: UInt64 = 1 << 41
    /// Timeouts are checked this often (ns).
    private static let scanInterval: UInt64 = 200_000_000

    let core: ServerCore
    private let epollFD: Int32
    private let wakeFD: Int32
    /// Listening sockets (first loop only); closed when shutdown starts.
    var listenFDs: [Int32] = []
    /// Every loop of the server, new connections are spread over them in turn.
    var peers: [EventLoop] = []
    /// Set by the loop once its listening sockets are closed.
    let listenersClosed = Atomic<Bool>(false)
    /// Makes the loop close everything and return.
    let stopRequested = Atomic<Bool>(false)

    private var connections: [Connection?] = []
    private let inbox = Locked<[Connection]>([])
    private var arrivals: [Connection] = []
    /// Connections whose transport holds buffered input: read before the next wait.
    private var ready: [Connection] = []
    private var readyBatch: [Connection] = []
    private var nextPeer = 0
    private var lastScan: UInt64 = 0
    private var draining = false
    /// Accepting paused (out of file descriptors) until the next timeout scan.
    private var acceptPaused = false

    init(core: ServerCore) throws(IOError) {
        self.core = core
        epollFD = try syscall(where: "epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        do {
            wakeFD = try syscall(where: "eventfd") { eventfd(0, Int32(EFD_CLOEXEC) | Int32(EFD_NONBLOCK)) }
        } catch {
            close(epollFD)
            throw error
        }
        try control(EPOLL_CTL_ADD, wakeFD, tag: Self.wakeTag, events: EPOLLIN.rawValue)
    }

    /// Closes the descriptors of a loop that never ran.
    func discard() {
        close(wakeFD)
        close(epollFD)
    }

    /// Watches a listening socket (before the loop starts).
    func addListener(_ fd: Int32) throws(IOError) {
        try control(
            EPOLL_CTL_ADD, fd, tag: Self.listenTag + UInt64(listenFDs.count), events: EPOLLIN.rawValue)
        listenFDs.append(fd)
    }

    /// Gives a connection to this loop, from any thread.
    func hand(_ connection: Connection) {
        let first = inbox.withLock { queue -> Bool in
            queue.append(connection)
            return queue.count == 1
        }
        if first { wake() }
    }

    /// Interrupts `epoll_wait`.
    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// The thread's body.
    func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 128)
        while !stopRequested.load(ordering: .acquiring) {
            let wait: Int32 = ready.isEmpty ? 200 : 0
            let n = events.withUnsafeMutableBufferPointer { epoll_wait(epollFD, $0.baseAddress, 128, wait) }
            if n < 0 && clinux_errno() != EINTR {
                core.logger.error("epoll_wait failed", metadata: ["errno": "\(clinux_errno())"])
                break
            }
            for i in 0..<max(0, Int(n)) {
                let tag = events[i].data.u64
                if tag == Self.wakeTag {
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                } else if tag >= Self.listenTag {
                    let index = Int(tag - Self.listenTag)
                    if index < listenFDs.count { acceptAll(listenFDs[index]) }
                } else {
                    readable(Int32(truncatingIfNeeded: tag))
                }
            }
            takeArrivals()
            readBuffered()
            if core.isShuttingDown && !draining { beginDraining() }
            let now = monotonicNanoseconds()
            if now - lastScan >= Self.scanInterval {
                lastScan = now
                closeExpired(now: now)
                if acceptPaused { resumeAccepting() }
            }
        }
        beginDraining()
        takeArrivals()
        peers = []
        close(wakeFD)
        close(epollFD)
    }

    private func control(_ op: Int32, _ fd: Int32, tag: UInt64, events: UInt32) throws(IOError) {
        var event = epoll_event()
        event.events = events
        event.data.u64 = tag
        try syscall(where: "epoll_ctl") { epoll_ctl(epollFD, op, fd, &event) }
    }

    /// Watches a connection for its next readable event (one-shot), or writable when its TLS
    /// handshake must write first; input already buffered in the transport is read without
    /// waiting.
    private func arm(_ connection: Connection) {
        if connection.transport.hasBufferedInput { return ready.append(connection) }
        let op = connection.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD
        let interest = connection.transport.awaitsWritable ? EPOLLOUT.rawValue : EPOLLIN.rawValue
        do {
            try control(
                op, connection.fd, tag: UInt64(connection.fd), events: interest | EPOLLONESHOT.rawValue)
            connection.registered = true
        } catch {
            drop(connection)
        }
    }

    private func adopt(_ connection: Connection) {
        let fd = Int(connection.fd)
        if fd >= connections.count {
            connections.append(contentsOf: repeatElement(nil, count: fd + 64 - connections.count))
        }
        connections[fd] = connection
        arm(connection)
    }

    private func drop(_ connection: Connection) {
        let fd = Int(connection.fd)
        if fd < connections.count && connections[fd] === connection { connections[fd] = nil }
        connection.close()
    }

    private func takeArrivals() {
        inbox.withLock { swap(&$0, &arrivals) }
        for connection in arrivals {
            if draining { connection.close() } else { adopt(connection) }
        }
        arrivals.removeAll(keepingCapacity: true)
    }

    /// Reads the connections that `arm` found with buffered input (those still held here).
    private func readBuffered() {
        swap(&ready, &readyBatch)
        for connection in readyBatch {
            let fd = Int(connection.fd)
            if fd < connections.count && connections[fd] === connection { readable(connection.fd) }
        }
        readyBatch.removeAll(keepingCapacity: true)
    }

    private func acceptAll(_ listenFD: Int32) {
        for _ in 0..<64 {
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { clinux_accept(listenFD, $0, &length) }
            }
            if fd < 0 {
                let code = clinux_errno()
                if code == EINTR || code == ECONNABORTED { continue }
                if code == EMFILE || code == ENFILE {
                    // The listener stays readable; stop watching it until the next scan rather
                    // than spin on epoll_wait.
                    core.logger.warning("accept: out of file descriptors", metadata: ["errno": "\(code)"])
                    pauseAccepting()
                } else if code != EAGAIN && code != EWOULDBLOCK {
                    core.logger.warning("accept failed", metadata: ["errno": "\(code)"])
                }
                return
            }
            if core.openConnections.load(ordering: .relaxed) >= core.limits.maxConnections {
                close(fd)
                continue
            }
            try? setSocketOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            guard let transport = makeTransport(fd) else {
                close(fd)
                continue
            }
            core.openConnections.add(1, ordering: .relaxed)
            let target = peers.isEmpty ? self : peers[nextPeer % peers.count]
            nextPeer &+= 1
            let now = monotonicNanoseconds()
            let connection = Connection(
                transport: transport, remoteAddress: socketAddressHost(address), loop: target,
                limits: core.limits, now: now)
            if transport.isTLS { connection.headStartedAt = now }
            if target === self { adopt(connection) } else { target.hand(connection) }
        }
    }

    /// The transport of an accepted socket: TLS (the socket made non-blocking) when the server
    /// has a TLS context, else plain TCP with the I/O timeout on the socket.
    private func makeTransport(_ fd: Int32) -> (any Transport)? {
        guard let tls = core.tls else {
            try? setSocketTimeouts(fd, seconds: core.limits.ioTimeout)
            return TCPTransport(fd: fd)
        }
        let context = tls.withLock { $0 }
        do {
            let flags = try syscall(where: "fcntl") { fcntl(fd, F_GETFL) }
            try syscall(where: "fcntl") { fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
            return try TLSTransport(fd: fd, context: context.context, ioTimeout: core.limits.ioTimeout)
        } catch {
            core.logger.warning("TLS connection setup failed", metadata: ["error": "\(error)"])
            return nil
        }
    }

    private func pauseAccepting() {
        acceptPaused = true
        for (i, fd) in listenFDs.enumerated() {
            try? control(EPOLL_CTL_MOD, fd, tag: Self.listenTag + UInt64(i), events: 0)
        }
    }

    private func resumeAccepting() {
        acceptPaused = false
        for (i, fd) in listenFDs.enumerated() {
            try? control(EPOLL_CTL_MOD, fd, tag: Self.listenTag + UInt64(i), events: EPOLLIN.rawValue)
        }
    }

    private func readable(_ fd: Int32) {
        guard Int(fd) < connections.count, let connection = connections[Int(fd)] else { return }
        let space = connection.buffer.writable(maxCapacity: connection.maxBufferCapacity)
        do {
            guard let n = try connection.transport.receiveNow(into: space) else { return arm(connection) }
            if n == 0 { return drop(connection) }
            connection.buffer.didWrite(n)
        } catch {
            // A failed TLS handshake lands here too (plain HTTP on the TLS port, an untrusted
            // certificate on the client's side): nothing to answer in, so close.
            core.logger.debug(
                "connection read failed",
                metadata: ["remote": "\(connection.remoteAddress)", "error": "\(error)"])
            return drop(connection)
        }
        if connection.headStartedAt == 0 { connection.headStartedAt = monotonicNanoseconds() }
        switch connection.parseHead() {
        case .needMore:
            arm(connection)
        case .complete(let head, let length):
            connection.buffer.consume(length)
            dispatch(.request(connection, head))
        case .invalid(let status, let reason):
            dispatch(.refuse(connection, status: status, reason: reason))
        }
    }

    private func dispatch(_ job: Job) {
        let connection = job.connection
        connections[Int(connection.fd)] = nil
        core.inFlight.add(1, ordering: .relaxed)
        if !core.queue.submit(job) {
            core.inFlight.subtract(1, ordering: .relaxed)
            connection.close()
        }
    }

    /// Closes connections whose head is late (slowloris) or that idled too long.
    private func closeExpired(now: UInt64) {
        for case let connection? in connections {
            if ConnectionPolicy.expiry(
                headStartedAt: connection.headStartedAt, idleSince: connection.idleSince, now: now,
                limits: core.limits) != nil
            {
                drop(connection)
            }
        }
    }

    /// Shutdown: stop accepting and close every connection this loop holds (idle or mid-head).
    private func beginDraining() {
        if !draining {
            draining = true
            for fd in listenFDs { close(fd) }
            listenFDs = []
            listenersClosed.store(true, ordering: .releasing)
        }
        for case let connection? in connections { drop(connection) }
    }
}
