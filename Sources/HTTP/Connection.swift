import Synchronization

/// One client connection: its transport, pending input and head parser.
///
/// `@unchecked Sendable`: a connection is owned by exactly one thread at a time (its event loop, or
/// the worker running its request) and changes owner only through the work queue or the loop's
/// inbox, whose locks order every access.
final class Connection: @unchecked Sendable {
    let transport: any Transport
    let remoteAddress: String
    /// The event loop that watches this connection between requests.
    let loop: EventLoop
    var buffer = ReadBuffer()
    var parser: RequestHeadParser
    /// When the current head's first byte arrived (monotonic ns), 0 when no head is under way.
    var headStartedAt: UInt64 = 0
    /// When the connection last became idle (monotonic ns).
    var idleSince: UInt64
    /// Registered in the loop's epoll set (an accepted connection is not until its loop adds it).
    var registered = false
    private var closed = false

    var fd: Int32 { transport.fd }

    init(transport: any Transport, remoteAddress: String, loop: EventLoop, limits: HTTPLimits, now: UInt64) {
        self.transport = transport
        self.remoteAddress = remoteAddress
        self.loop = loop
        self.parser = RequestHeadParser(
            maxHeadBytes: limits.maxHeadBytes, maxHeaderCount: limits.maxHeaderCount)
        self.idleSince = now
    }

    /// Largest input block: a whole head plus some room for what follows it.
    var maxBufferCapacity: Int { parser.maxHeadBytes + 4096 }

    /// Parses the pending input as (the rest of) a request head.
    func parseHead() -> RequestHeadParser.Result {
        parser.parse(buffer.readable)
    }

    /// Prepares to wait in the event loop: frees what an idle connection does not need.
    func park(now: UInt64) {
        idleSince = now
        if buffer.isEmpty {
            headStartedAt = 0
            buffer.release()
            parser.releaseMemory()
        } else if headStartedAt == 0 {
            headStartedAt = now
        }
    }

    /// Closes the socket and frees the buffer; counts the connection as gone. Idempotent.
    func close() {
        if closed { return }
        closed = true
        transport.close()
        buffer.release()
        loop.core.openConnections.subtract(1, ordering: .relaxed)
    }

    deinit { buffer.release() }
}
