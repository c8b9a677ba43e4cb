import Locks
import Synchronization

/// Read-only connections to the database, lent to one thread at a time.
///
/// WAL lets any number of readers run beside the writer, each on its own snapshot. A reading
/// thread borrows an idle connection (or opens one), adopts it, and gives it back when its
/// call ends; so connections follow the worker threads that read, without thread-local state
/// that would outlive a store. At most `maxIdle` connections are kept between calls.
final class ReadConnectionPool: Sendable {
    private let path: String
    private let maxIdle: Int
    private let state = Locked(State())

    private struct State {
        var idle: [SQLiteConnection] = []
        var closed = false
    }

    init(path: String, maxIdle: Int = 64) {
        self.path = path
        self.maxIdle = maxIdle
    }

    /// Drops the idle connections; later borrows throw `.closed`.
    func close() {
        let dropped = state.withLock { state in
            state.closed = true
            defer { state.idle.removeAll() }
            return state.idle
        }
        _ = dropped  // closed here, outside the lock
    }

    /// A connection owned by the calling thread until `giveBack(_:)`.
    func borrow() throws(MetadataError) -> SQLiteConnection {
        let taken: SQLiteConnection?? = state.withLock { state in
            if state.closed { return .none }
            return .some(state.idle.popLast())
        }
        guard let taken else { throw .closed }
        if let connection = taken {
            connection.adopt()
            return connection
        }
        let connection = try SQLiteConnection(path: path, mode: .readOnly)
        try connection.execute("PRAGMA cache_size = -8192")
        return connection
    }

    /// Returns a connection taken by `borrow()` on this thread.
    func giveBack(_ connection: SQLiteConnection) {
        connection.release()
        state.withLock { state in
            if !state.closed && state.idle.count < maxIdle { state.idle.append(connection) }
        }
    }
}
