import Locks

/// Idle keep-alive client connections by endpoint, newest first.
///
/// A connection is taken only if it has idled less than `idleTimeout` and the server has not
/// closed it meanwhile (`ClientConnection.isAlive`); others are closed on the way.
final class ConnectionPool: Sendable {
    private let idle = Locked<[HTTPEndpoint: [ClientConnection]]>([:])
    private let idleTimeout: UInt64
    private let maxPerEndpoint: Int

    init(idleTimeout: Double, maxPerEndpoint: Int) {
        self.idleTimeout = UInt64(max(idleTimeout, 0) * 1e9)
        self.maxPerEndpoint = maxPerEndpoint
    }

    /// The most recently used live connection to `endpoint`, if any.
    func take(_ endpoint: HTTPEndpoint) -> ClientConnection? {
        while true {
            let candidate = idle.withLock { table -> ClientConnection? in table[endpoint]?.popLast() }
            guard let connection = candidate else { return nil }
            // Read after the pop: a connection given back meanwhile is newer than an earlier now.
            let idled = monotonicNanoseconds() &- connection.idleSince
            if idled <= idleTimeout && connection.isAlive() {
                connection.reused = true
                return connection
            }
            connection.close()
        }
    }

    /// Keeps `connection` for a later request, or closes it when the endpoint has enough.
    func give(_ connection: ClientConnection) {
        connection.idleSince = monotonicNanoseconds()
        let kept = idle.withLock { table -> Bool in
            var list = table[connection.endpoint] ?? []
            guard list.count < maxPerEndpoint else { return false }
            list.append(connection)
            table[connection.endpoint] = list
            return true
        }
        if !kept { connection.close() }
    }

    /// Idle connections held, over all endpoints.
    var idleCount: Int { idle.withLock { $0.values.reduce(0) { $0 + $1.count } } }

    /// Closes every idle connection.
    func closeAll() {
        let all = idle.withLock { table -> [ClientConnection] in
            defer { table.removeAll() }
            return table.values.flatMap { $0 }
        }
        for connection in all { connection.close() }
    }
}
