/// The decisions about a connection's life that need no socket: when a waiting connection
/// expires, and whether it survives an exchange. Pure functions of facts and a clock reading, so
/// tests drive them with a fake clock; the event loop and the workers only carry them out.
package enum ConnectionPolicy {
    /// Why the event loop closes a connection it holds.
    package enum Expiry: Equatable, Sendable {
        /// The head did not complete within `headerTimeout` of its first byte (slowloris).
        case headerTimeout
        /// No request began within `idleTimeout` of the previous response.
        case idleTimeout
    }

    /// Whether a connection waiting in the event loop has expired at `now` (monotonic ns).
    /// `headStartedAt` is 0 when no head is under way. A TLS connection's first head starts
    /// at accept: a handshake that stalls expires as a late head does.
    package static func expiry(headStartedAt: UInt64, idleSince: UInt64, now: UInt64, limits: HTTPLimits)
        -> Expiry?
    {
        if headStartedAt != 0 {
            return now &- headStartedAt > nanoseconds(limits.headerTimeout) ? .headerTimeout : nil
        }
        return now &- idleSince > nanoseconds(limits.idleTimeout) ? .idleTimeout : nil
    }

    /// What is known when a handler has answered, before the response is written.
    package struct ExchangeFacts: Equatable, Sendable {
        /// The client allows keep-alive (version and `Connection` header).
        package var clientKeepsAlive = true
        package var shuttingDown = false
        /// A body read failed (client gone, timeout, broken framing): the stream position is lost.
        package var bodyFailed = false
        /// The client waits for `100 Continue` that was never sent: its body never comes.
        package var continueWithheld = false
        /// Body bytes still unread with Content-Length (0 when read or none; nil for chunked,
        /// whose rest is unknown and drained with the same limit).
        package var unreadLength: Int64? = 0
        /// The handler's response says `Connection: close`.
        package var responseSaysClose = false
        /// The response body ends with the connection (an unsized stream to an HTTP/1.0 client).
        package var bodyEndsWithClose = false

        package init() {}
    }

    /// Whether the connection is closed after this response (decided before writing it, so the
    /// response can say `Connection: close`). Unread bodies up to `drainLimit` are drained instead.
    package static func closesAfterResponse(_ facts: ExchangeFacts, drainLimit: Int64) -> Bool {
        if !facts.clientKeepsAlive || facts.shuttingDown || facts.bodyFailed || facts.continueWithheld {
            return true
        }
        if facts.responseSaysClose || facts.bodyEndsWithClose { return true }
        if let unread = facts.unreadLength, unread > drainLimit { return true }
        return false
    }

    private static func nanoseconds(_ seconds: Double) -> UInt64 {
        seconds <= 0 ? 0 : UInt64(min(seconds, 1e9) * 1e9)
    }
}
