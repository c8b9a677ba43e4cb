/// The durable `MetadataStore`: one SQLite database file, one writer thread doing group
/// commit, and pooled read-only connections.
///
/// Layout: a single table `kv(ns BLOB, k BLOB, v BLOB, PRIMARY KEY(ns, k)) WITHOUT ROWID`,
/// so every namespace is a contiguous, memcmp-ordered range of one B-tree: a point read or
/// the start of a page costs O(log n) whatever the bucket size. The file runs in WAL mode with
/// `synchronous=FULL`: a COMMIT returns only after the WAL is fsynced, so a commit that
/// returned survives `kill -9` and power loss, and readers never wait for the writer.
///
/// An existing file that is not a database or fails `PRAGMA quick_check` is refused with
/// `MetadataError.corrupt` before anything could write to it.
package final class SQLiteStore: MetadataStore {
    /// The database file's name inside the directory given at init.
    package static let fileName = "metadata.sqlite3"

    /// Path of the database file.
    package let path: String
    private let writer: GroupCommitWriter
    private let readers: ReadConnectionPool

    /// Opens (or creates) `<directory>/metadata.sqlite3`, creating `directory` if missing.
    /// Group sizes and COMMIT times go to `metrics`.
    /// - Throws: `.corrupt` when the existing file is not a sound SQLite database (the file
    ///   is left as it was); `.io` when it cannot be opened or created.
    package init(
        directory: String, limits: MetadataLimits = MetadataLimits(), metrics: CommitMetrics = .none
    ) throws(MetadataError) {
        try DatabaseFile.makeDirectory(directory)
        let path = directory + "/" + Self.fileName
        if let size = DatabaseFile.size(path), size > 0 {
            try DatabaseFile.checkHeader(path)
            try Self.verify(path)
        }
        let connection = try SQLiteConnection(path: path, mode: .readWriteCreate)
        let mode = try connection.strings("PRAGMA journal_mode = WAL")
        guard mode == ["wal"] else { throw .io("\(path): cannot switch to WAL mode (got \(mode))") }
        try connection.execute("PRAGMA synchronous = FULL")
        try connection.execute("PRAGMA cache_size = -32768")
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS kv (
                ns BLOB NOT NULL, k BLOB NOT NULL, v BLOB NOT NULL, PRIMARY KEY (ns, k)
            ) WITHOUT ROWID
            """)
        // The database and WAL files may be new: make their directory entries durable too.
        try DatabaseFile.syncDirectory(directory)
        self.path = path
        self.writer = GroupCommitWriter(connection: connection, limits: limits, metrics: metrics)
        self.readers = ReadConnectionPool(path: path)
    }

    deinit {
        close()
    }

    /// Stops the writer thread once queued batches are committed and closes every idle
    /// connection; later calls throw `.closed`. Call when no request is running. Idempotent.
    package func close() {
        readers.close()
        writer.close()
    }

    /// COMMITs the writer ran and batches they carried; batches per COMMIT is the group size.
    var writerStatistics: (transactions: Int, batches: Int) { writer.statistics }

    package func get(_ namespace: String, _ key: [UInt8]) throws(MetadataError) -> [UInt8]? {
        let connection = try readers.borrow()
        defer { readers.giveBack(connection) }
        let statement = try connection.statement("SELECT v FROM kv WHERE ns = ?1 AND k = ?2")
        defer { statement.reset() }
        try statement.bind(1, Array(namespace.utf8))
        try statement.bind(2, key)
        return try statement.step() ? statement.bytes(0) : nil
    }

    package func commit(_ batch: [MetadataOperation]) throws(MetadataError) {
        try writer.submit(
            batch.map { operation in
                switch operation {
                case .put(let namespace, let key, let value):
                    .put(namespace: Array(namespace.utf8), key: key, value: value)
                case .delete(let namespace, let key):
                    .delete(namespace: Array(namespace.utf8), key: key)
                }
            })
    }

    package func dropNamespace(_ namespace: String) throws(MetadataError) {
        try writer.submit([.dropNamespace(Array(namespace.utf8))])
    }

    /// Reads inside one read transaction, so the whole call sees one snapshot even while
    /// `visit` takes its time and the writer commits meanwhile.
    package func scan(
        _ namespace: String, from start: [UInt8], to end: [UInt8]?,
        _ visit: (_ key: [UInt8], _ value: [UInt8]) throws -> ScanStep
    ) throws {
        if let end, compareBytes(start, end) >= 0 { return }
        let connection = try readers.borrow()
        defer { readers.giveBack(connection) }
        try connection.execute("BEGIN")
        defer { try? connection.execute("COMMIT") }
        let statement = try connection.statement(
            end == nil
                ? "SELECT k, v FROM kv WHERE ns = ?1 AND k >= ?2 ORDER BY k"
                : "SELECT k, v FROM kv WHERE ns = ?1 AND k >= ?2 AND k < ?3 ORDER BY k")
        defer { statement.reset() }
        let space = Array(namespace.utf8)
        func bind(from key: [UInt8]) throws(MetadataError) {
            try statement.bind(1, space)
            try statement.bind(2, key)
            if let end { try statement.bind(3, end) }
        }
        try bind(from: start)
        while try statement.step() {
            let key = statement.bytes(0)
            switch try visit(key, statement.bytes(1)) {
            case .next:
                continue
            case .stop:
                return
            case .seek(let target):
                if compareBytes(target, key) <= 0 { continue }
                if let end, compareBytes(target, end) >= 0 { return }
                statement.reset()
                try bind(from: target)
            }
        }
    }

    /// Throws `.corrupt` when the database at `path` fails `PRAGMA quick_check`. Uses a
    /// read-only connection, which can neither repair nor checkpoint into the file.
    private static func verify(_ path: String) throws(MetadataError) {
        let connection = try SQLiteConnection(path: path, mode: .readOnly)
        let report: [String]
        do {
            report = try connection.strings("PRAGMA quick_check")
        } catch .corrupt(let message) {
            throw .corrupt("\(path) is damaged: \(message); left untouched")
        }
        guard report == ["ok"] else {
            let detail = report.prefix(5).joined(separator: "; ")
            throw .corrupt("\(path) fails PRAGMA quick_check: \(detail); left untouched")
        }
    }
}
