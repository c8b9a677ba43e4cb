import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Our HTTP/1.1 server on POSIX sockets: epoll threads accept connections, read request heads
/// and hold idle keep-alive connections; a bounded worker pool runs the handler with blocking
/// I/O; the connection then returns to the event loop.
package final class HTTPServer: Sendable {
    /// Threads and sockets of a started server.
    private struct Running: Sendable {
        var ports: [Int] = []
        var loops: [EventLoop] = []
        var workers: [Worker] = []
        var loopThreads: [pthread_t] = []
        var workerThreads: [pthread_t] = []
    }

    private enum Phase: Sendable {
        case created
        case running(Running)
        /// Shut down; the ports it had stay known.
        case stopped(ports: [Int])
    }

    private let configuration: HTTPServerConfiguration
    private let core: ServerCore
    private let phase = Mutex<Phase>(.created)

    package init(configuration: HTTPServerConfiguration, handler: any HTTPHandler, logger: Logger) {
        self.configuration = configuration
        self.core = ServerCore(
            limits: configuration.limits, handler: handler, logger: logger, tls: configuration.tls,
            runLimit: min(configuration.workerCount, configuration.runningWorkerLimit))
    }

    /// Binds every listen address and starts the threads. Throws `IOError` (bind, listen); nothing
    /// stays open when it throws. Calling it again is a no-op.
    package func start() throws {
        try phase.withLock { phase throws(IOError) in
            guard case .created = phase else { return }
            signal(SIGPIPE, SIG_IGN)
            var running = Running()
            var listeners: [Int32] = []
            do throws(IOError) {
                for address in configuration.listen {
                    // `::` is dual stack unless an IPv4 address is also bound on its port.
                    let v6Only =
                        (address.host != "::" && address.host != "[::]")
                        || configuration.listen.contains {
                            $0.port == address.port && !$0.host.contains(":")
                        }
                    let (fd, port) = try makeListenSocket(
                        host: address.host, port: address.port, v6Only: v6Only)
                    listeners.append(fd)
                    running.ports.append(port)
                }
                for _ in 0..<max(1, configuration.eventLoopCount) {
                    running.loops.append(try EventLoop(core: core))
                }
                for fd in listeners { try running.loops[0].addListener(fd) }
            } catch {
                for fd in listeners { close(fd) }
                for loop in running.loops { loop.discard() }
                throw error
            }
            for loop in running.loops { loop.peers = running.loops }
            running.workers = (0..<max(1, configuration.workerCount)).map { _ in Worker(core: core) }
            running.loopThreads = running.loops.map { loop in spawnThread { loop.run() } }
            running.workerThreads = running.workers.map { worker in spawnThread { worker.run() } }
            core.logger.info("HTTP server listening", metadata: ["ports": "\(running.ports)"])
            phase = .running(running)
        }
    }

    /// The ports actually bound, in `listen` order (ephemeral ports resolved).
    package var boundPorts: [Int] {
        phase.withLock { phase in
            switch phase {
            case .created: return []
            case .running(let running): return running.ports
            case .stopped(let ports): return ports
            }
        }
    }

    /// True when the server speaks HTTPS (its configuration had a TLS context).
    package var isTLS: Bool { core.tls != nil }

    /// Makes connections accepted from now on use `context` (a reloaded certificate); open
    /// connections keep theirs. A plain-HTTP server stays plain.
    package func replaceTLSContext(_ context: TLSServerContext) {
        core.tls?.withLock { $0 = context }
    }

    /// Open client connections right now.
    package var openConnections: Int { core.openConnections.load(ordering: .relaxed) }

    /// Stops accepting, lets in-flight requests finish for up to `limits.shutdownGrace` seconds,
    /// closes every connection and joins the threads. Safe from any thread; later calls return at
    /// once.
    package func shutdown() {
        let taken = phase.withLock { phase -> Running? in
            switch phase {
            case .created:
                phase = .stopped(ports: [])
                return nil
            case .running(let running):
                phase = .stopped(ports: running.ports)
                return running
            case .stopped:
                return nil
            }
        }
        guard let running = taken else { return }
        core.shuttingDown.store(true, ordering: .releasing)
        for loop in running.loops { loop.wake() }

        // New connections must fail once shutdown() returns: wait for the listeners to close.
        let listenDeadline = monotonicNanoseconds() + 2_000_000_000
        while !running.loops[0].listenersClosed.load(ordering: .acquiring)
            && monotonicNanoseconds() < listenDeadline
        {
            usleep(2_000)
        }
        let graceDeadline = monotonicNanoseconds() + UInt64(max(0, core.limits.shutdownGrace) * 1e9)
        while core.inFlight.load(ordering: .acquiring) > 0 && monotonicNanoseconds() < graceDeadline {
            usleep(5_000)
        }

        for job in core.queue.stop() {
            job.connection.close()
            core.inFlight.subtract(1, ordering: .relaxed)
        }
        for worker in running.workers { worker.abortCurrent() }
        for thread in running.workerThreads { pthread_join(thread, nil) }
        for loop in running.loops {
            loop.stopRequested.store(true, ordering: .releasing)
            loop.wake()
        }
        for thread in running.loopThreads { pthread_join(thread, nil) }
        core.logger.info("HTTP server stopped")
    }
}
