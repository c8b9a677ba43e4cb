import CLinux
import Locks
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A worker thread: takes jobs from the queue and runs exchanges with plain blocking I/O.
///
/// `@unchecked Sendable`: `writer` is used only by the worker's own thread; `currentFD` is a `Locked` value.
final class Worker: @unchecked Sendable {
    /// Unread body bytes past this are not drained after a response: the connection is closed.
    static let drainLimit: Int64 = 1024 * 1024

    let core: ServerCore
    let writer = ResponseWriter()
    /// The socket being served (-1 when none), so a forced shutdown can unblock its I/O.
    private let currentFD = Locked<Int32>(-1)

    init(core: ServerCore) { self.core = core }

    /// The thread's body: runs jobs until the queue stops.
    func run() {
        core.queue.join()
        BlockingWait.install(core.queue)
        defer { BlockingWait.uninstall() }
        while let job = core.queue.next() {
            let connection = job.connection
            currentFD.withLock { $0 = connection.fd }
            switch job {
            case .request(let c, let head): serve(c, head)
            case .refuse(let c, let status, let reason): refuse(c, status: status, reason: reason)
            }
            core.inFlight.subtract(1, ordering: .releasing)
        }
    }

    /// Interrupts blocking I/O of the current connection (shutdown past its grace period).
    func abortCurrent() {
        currentFD.withLock { fd in
            if fd >= 0 { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    /// Serves `first` and then every pipelined request already buffered; hands the connection
    /// back to its event loop when it waits for more, or closes it.
    private func serve(_ connection: Connection, _ first: RequestHead) {
        var head = first
        while true {
            switch exchange(connection, head) {
            case .next:
                break
            case .close:
                release(connection)
                connection.close()
                return
            case .closeUnread:
                lingeringClose(connection)
                return
            }
            connection.parser.reset()
            connection.headStartedAt = 0
            if !connection.buffer.isEmpty {
                switch connection.parseHead() {
                case .complete(let next, let length):
                    connection.buffer.consume(length)
                    head = next
                    continue
                case .invalid(let status, let reason):
                    refuse(connection, status: status, reason: reason)
                    return
                case .needMore:
                    break
                }
            }
            connection.park(now: monotonicNanoseconds())
            release(connection)
            connection.loop.hand(connection)
            return
        }
    }

    /// Forgets the current socket before the connection is closed or handed back.
    private func release(_ connection: Connection) {
        currentFD.withLock { fd in
            if fd == connection.fd { fd = -1 }
        }
    }

    /// What follows an exchange on its connection.
    private enum AfterExchange {
        /// The connection may serve another request.
        case next
        case close
        /// Close while the client is still sending a body nobody read (an early answer): a
        /// plain close would send RST and could destroy the answer before the client reads it.
        case closeUnread
    }

    /// One request and its response.
    private func exchange(_ connection: Connection, _ head: RequestHead) -> AfterExchange {
        let started = monotonicNanoseconds()
        let body: RequestBody? =
            head.framing == .none
            ? nil
            : RequestBody(connection: connection, framing: head.framing, expectContinue: head.expectContinue)
        // As HTTPRequest documents: nil only for a chunked body; a request without body says 0
        // (whether the header was sent at all is in `headers`).
        let contentLength: Int64? =
            switch head.framing {
            case .length(let n): n
            case .none: 0
            case .chunked: nil
            }
        let request = HTTPRequest(
            method: head.method, target: head.target, version: (1, head.minorVersion), headers: head.headers,
            body: body ?? EmptyBody.shared, contentLength: contentLength,
            remoteAddress: connection.remoteAddress, isTLS: connection.transport.isTLS)
        var response = core.handler.handle(request)
        let isHEAD = head.method == "HEAD"

        var facts = ConnectionPolicy.ExchangeFacts()
        facts.clientKeepsAlive = head.keepAlive
        facts.shuttingDown = core.isShuttingDown
        if let body {
            if let why = body.framingError {
                response = core.handler.refuse(
                    status: 400, reason: why, remoteAddress: connection.remoteAddress)
            }
            facts.bodyFailed = body.failure != nil
            facts.continueWithheld = body.continueWithheld
            facts.unreadLength = body.finished ? 0 : body.remainingLength
        }
        if let value = response.headers["connection"], value.utf8.count == 5 {
            facts.responseSaysClose = asciiCaseInsensitiveEquals(value, "close")
        }
        facts.bodyEndsWithClose = ResponseWriter.needsClose(
            response, isHEAD: isHEAD, minorVersion: head.minorVersion)
        var close = ConnectionPolicy.closesAfterResponse(facts, drainLimit: Self.drainLimit)

        var bytesOut: Int64 = 0
        var failure: String?
        do {
            try body?.sendOwedContinue()
            try writer.write(
                response, isHEAD: isHEAD, close: close, minorVersion: head.minorVersion,
                to: connection.transport, bytesOut: &bytesOut)
        } catch {
            failure = "\(error)"
            close = true
        }
        if !close, let body, !body.finished {
            if !body.drain(limit: Self.drainLimit, scratch: writer.scratch) { close = true }
        }
        core.handler.completed(
            HTTPCompletion(
                method: head.method, target: head.target, status: response.status,
                bytesIn: body?.bytesRead ?? 0,
                bytesOut: bytesOut, elapsedNanoseconds: monotonicNanoseconds() - started,
                remoteAddress: connection.remoteAddress, failure: failure,
                annotations: response.annotations))
        if !close { return .next }
        return failure == nil && body.map { !$0.finished && $0.failure == nil } == true
            ? .closeUnread : .close
    }

    /// Answers a refused head and closes the connection.
    private func refuse(_ connection: Connection, status: Int, reason: String) {
        let started = monotonicNanoseconds()
        let response = core.handler.refuse(
            status: status, reason: reason, remoteAddress: connection.remoteAddress)
        var bytesOut: Int64 = 0
        var failure: String?
        do {
            try writer.write(
                response, isHEAD: false, close: true, minorVersion: 1, to: connection.transport,
                bytesOut: &bytesOut)
        } catch {
            failure = "\(error)"
        }
        core.handler.completed(
            HTTPCompletion(
                method: "", target: "", status: response.status, bytesIn: 0, bytesOut: bytesOut,
                elapsedNanoseconds: monotonicNanoseconds() - started, remoteAddress: connection.remoteAddress,
                failure: failure))
        lingeringClose(connection)
    }

    /// Closes after a refusal or an early answer without losing it: closing a socket with unread input sends
    /// RST, which can destroy the response before the client reads it. So: FIN first, then read
    /// and drop what the client still sends (at most 1 MiB or 1 s, pauses of 100 ms end it).
    private func lingeringClose(_ connection: Connection) {
        connection.transport.shutdownWrite()
        let deadline = monotonicNanoseconds() + 1_000_000_000
        var total = 0
        let buffer = writer.scratch
        while total < 1024 * 1024 && monotonicNanoseconds() < deadline {
            var poller = pollfd(fd: connection.fd, events: Int16(POLLIN), revents: 0)
            guard BlockingWait.around({ poll(&poller, 1, 100) }) > 0 else { break }
            guard let n = try? connection.transport.receiveNow(into: buffer), n > 0 else { break }
            total += n
        }
        release(connection)
        connection.close()
    }
}
