import CSQLite
import Glibc

/// One SQLite connection; owns its `sqlite3*` and its cached prepared statements.
///
/// A connection is used by one thread at a time: the thread that `adopt()`ed it. Any use from
/// another thread is a programming error and stops the process (`precondition`), because
/// connections are opened with `SQLITE_OPEN_NOMUTEX` (SQLite's multi-thread mode: "a single
/// database connection [must not be] used simultaneously in two or more threads").
/// It is `@unchecked Sendable` only so a pool can hand it from thread to thread; the pool's
/// lock orders every hand-over.
final class SQLiteConnection: @unchecked Sendable {
    /// How a connection opens its file.
    enum Mode {
        /// Read and write; creates the file when missing.
        case readWriteCreate
        /// Read only; the file must exist.
        case readOnly
    }

    private let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]
    private var owner: pthread_t?
    let path: String

    /// Opens `path`. The calling thread owns the new connection until it calls `release()`.
    init(path: String, mode: Mode) throws(MetadataError) {
        var db: OpaquePointer?
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            // "Whether or not an error occurs when it is opened, resources associated with the
            // database connection handle should be released by passing it to sqlite3_close()".
            let error = sqliteError(code, db: db, context: "open \(path)")
            sqlite3_close_v2(db)
            throw error
        }
        self.handle = db
        self.path = path
        self.owner = pthread_self()
        sqlite3_busy_timeout(db, 10_000)
    }

    deinit {
        // Statements first, so that the close below finds nothing left open.
        statements.removeAll()
        // "If sqlite3_close_v2() is called with unfinalized prepared statements ... the
        // database connection becomes an unusable zombie which will automatically be
        // deallocated when the last prepared statement is finalized": never leaks.
        sqlite3_close_v2(handle)
    }

    /// Makes the calling thread the owner of this connection.
    func adopt() {
        owner = pthread_self()
    }

    /// Gives the connection up; the next thread must `adopt()` it before use.
    func release() {
        assertOwned()
        owner = nil
    }

    /// The cached prepared statement for `sql`, prepared on first use.
    func statement(_ sql: String) throws(MetadataError) -> SQLiteStatement {
        assertOwned()
        if let cached = statements[sql] { return cached }
        let statement = try SQLiteStatement(db: handle, sql: sql)
        statements[sql] = statement
        return statement
    }

    /// Runs one SQL statement that needs no parameters (BEGIN, COMMIT, PRAGMA ...).
    func execute(_ sql: String) throws(MetadataError) {
        try statement(sql).run()
    }

    /// The first column of every row of `sql`, as text (PRAGMA answers).
    func strings(_ sql: String) throws(MetadataError) -> [String] {
        assertOwned()
        // Not cached: used a few times at open.
        let statement = try SQLiteStatement(db: handle, sql: sql)
        var rows: [String] = []
        while try statement.step() { rows.append(statement.text(0)) }
        return rows
    }

    /// True while a transaction is open on this connection.
    var inTransaction: Bool {
        assertOwned()
        // "The sqlite3_get_autocommit() interface returns non-zero or zero if the given
        // database connection is or is not in autocommit mode"; autocommit means no transaction.
        return sqlite3_get_autocommit(handle) == 0
    }

    private func assertOwned() {
        precondition(
            owner.map { pthread_equal($0, pthread_self()) != 0 } ?? false,
            "SQLite connection to \(path) used off the thread that owns it")
    }
}
