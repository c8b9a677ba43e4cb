import CSQLite

/// One prepared statement; owns its `sqlite3_stmt*` and finalizes it in `deinit`.
///
/// Created only by `SQLiteConnection.statement(_:)`, which caches it, and used only by the
/// thread that currently owns that connection. Blobs are bound with `SQLITE_TRANSIENT`, so
/// SQLite copies them and the Swift arrays may go away right after the call.
final class SQLiteStatement {
    /// "The application must finalize every prepared statement in order to avoid resource
    /// leaks" (sqlite3_finalize): this class is the only owner, `deinit` finalizes.
    private let handle: OpaquePointer
    /// The connection's handle, for `sqlite3_errmsg`; the connection outlives its statements.
    private let db: OpaquePointer
    /// The SQL text, for error messages.
    let sql: String

    init(db: OpaquePointer, sql: String) throws(MetadataError) {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            // "*ppStmt is left pointing to a compiled prepared statement ... or NULL if there
            // is an error": nothing to finalize on failure.
            throw sqliteError(code, db: db, context: "prepare \(sql)")
        }
        self.handle = statement
        self.db = db
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds `bytes` as a BLOB (never NULL, even when empty) to the 1-based parameter `index`.
    func bind(_ index: Int32, _ bytes: [UInt8]) throws(MetadataError) {
        let code: Int32
        if bytes.isEmpty {
            // A nil pointer would bind NULL, which compares as unknown, not as the empty key.
            code = sqlite3_bind_zeroblob(handle, index, 0)
        } else {
            code = bytes.withUnsafeBytes { raw in
                sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), csqlite_transient())
            }
        }
        try check(code, "bind")
    }

    /// Advances to the next row: true when a row is ready, false when the statement is done.
    func step() throws(MetadataError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            // "In the legacy interface ... the more specific error code is returned directly
            // by sqlite3_step()" with the v2/v3 prepare interfaces; reset to release locks.
            let error = sqliteError(code, db: db, context: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Runs a statement that returns no rows (or whose rows are ignored), then resets it.
    func run() throws(MetadataError) {
        defer { reset() }
        while try step() {}
    }

    /// The BLOB (or text) in column `index` of the current row; empty for NULL.
    func bytes(_ index: Int32) -> [UInt8] {
        // "The pointer returned is valid until ... sqlite3_step() or sqlite3_reset() or
        // sqlite3_finalize() is called": copy it out now.
        let count = Int(sqlite3_column_bytes(handle, index))
        guard count > 0, let base = sqlite3_column_blob(handle, index) else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// The text in column `index` of the current row.
    func text(_ index: Int32) -> String {
        String(decoding: bytes(index), as: UTF8.self)
    }

    /// Rewinds the statement and drops its bindings, ending any read it kept open.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    private func check(_ code: Int32, _ what: String) throws(MetadataError) {
        if code != SQLITE_OK { throw sqliteError(code, db: db, context: "\(what) in \(sql)") }
    }
}

/// Turns a SQLite result code into a `MetadataError` carrying `sqlite3_errmsg`.
///
/// `SQLITE_CORRUPT` and `SQLITE_NOTADB` become `.corrupt`; everything else is `.io`.
func sqliteError(_ code: Int32, db: OpaquePointer?, context: String) -> MetadataError {
    let message =
        db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
    let text = "\(context): \(message) (SQLite code \(code))"
    switch code & 0xFF {
    case SQLITE_CORRUPT, SQLITE_NOTADB: return .corrupt(text)
    default: return .io(text)
    }
}
