import Locks
import Logging
import Synchronization

/// What every thread of one server shares: settings, the handler, the work queue and counters.
final class ServerCore: Sendable {
    let limits: HTTPLimits
    let handler: any HTTPHandler
    let logger: Logger
    /// The TLS context new connections get, nil for plain HTTP; replaced by a reload.
    let tls: Locked<TLSServerContext>?
    let queue: WorkQueue
    /// Client connections open right now.
    let openConnections = Atomic<Int>(0)
    /// Jobs queued or being run by a worker.
    let inFlight = Atomic<Int>(0)
    /// Set once by `HTTPServer.shutdown()`.
    let shuttingDown = Atomic<Bool>(false)

    init(limits: HTTPLimits, handler: any HTTPHandler, logger: Logger, tls: TLSServerContext?, runLimit: Int)
    {
        self.queue = WorkQueue(runLimit: runLimit)
        self.limits = limits
        self.handler = handler
        self.logger = logger
        self.tls = tls.map { Locked($0) }
    }

    var isShuttingDown: Bool { shuttingDown.load(ordering: .acquiring) }
}
