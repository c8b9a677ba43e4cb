import Foundation
import MetricsTestKit
import Synchronization
import Testing

@testable import Metadata

/// What only the SQLite store has: a file that outlives the process, and a writer thread.
@Suite("SQLiteStore")
struct SQLiteStoreTests {
    @Test("committed data survives closing and reopening the store")
    func reopen() throws {
        let directory = TemporaryDirectory()
        do {
            let store = try SQLiteStore(directory: directory.path)
            try store.put("bucket", b("key"), b("value"))
            try store.commit([.put(namespace: "bucket", key: b("other"), value: [0, 255])])
            store.close()
        }
        let store = try SQLiteStore(directory: directory.path)
        defer { store.close() }
        #expect(try store.get("bucket", b("key")) == b("value"))
        #expect(try everything(store, "bucket") == [b("key"), b("other")])
    }

    @Test("commits that returned survive kill -9 of the process")
    func killNine() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path
        await #expect(processExitsWith: .signal(SIGKILL)) { [path = path as String] in
            let store = try SQLiteStore(directory: path)
            for index in 0..<20 { try store.put("ns", b("key\(index)"), b("value\(index)")) }
            kill(getpid(), SIGKILL)
        }
        #expect(FileManager.default.fileExists(atPath: path + "/" + SQLiteStore.fileName + "-wal"))
        let store = try SQLiteStore(directory: path)
        defer { store.close() }
        #expect(try everything(store, "ns").count == 20)
        #expect(try store.get("ns", b("key19")) == b("value19"))
    }

    @Test("the directory is created when missing, parents included")
    func createsDirectory() throws {
        let directory = TemporaryDirectory()
        let nested = directory.path + "/a/b/metadata"
        let store = try SQLiteStore(directory: nested)
        defer { store.close() }
        try store.put("ns", b("k"), b("v"))
        #expect(FileManager.default.fileExists(atPath: nested + "/" + SQLiteStore.fileName))
    }

    @Test("a file that is not a database is refused as corrupt and left byte for byte")
    func garbageFile() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/" + SQLiteStore.fileName
        let garbage = Data((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        try garbage.write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SQLiteStore(directory: directory.path)
        } throws: { error in
            guard case .corrupt(let message) = error as? MetadataError else { return false }
            return message.contains("not a SQLite database")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test("a database with a damaged page is refused as corrupt and left byte for byte")
    func damagedPage() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/" + SQLiteStore.fileName
        do {
            let store = try SQLiteStore(directory: directory.path)
            try store.commit(
                (0..<2000).map { .put(namespace: "ns", key: b("key\($0)"), value: b("value\($0)")) })
            store.close()
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.count > 5 * 4096)
        for offset in 4096..<(4 * 4096) { bytes[offset] = UInt8(truncatingIfNeeded: offset &* 13) }
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: MetadataError.self) {
            _ = try SQLiteStore(directory: directory.path)
        }
        do {
            _ = try SQLiteStore(directory: directory.path)
        } catch .corrupt(let message) {
            #expect(message.contains("left untouched"))
        } catch {
            Issue.record("expected .corrupt, got \(error)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    @Test("an empty file is a new database")
    func emptyFile() throws {
        let directory = TemporaryDirectory()
        _ = FileManager.default.createFile(
            atPath: directory.path + "/" + SQLiteStore.fileName, contents: Data())
        let store = try SQLiteStore(directory: directory.path)
        defer { store.close() }
        try store.put("ns", b("k"), b("v"))
        #expect(try store.get("ns", b("k")) == b("v"))
    }

    @Test("after close every call throws closed, and close can be repeated")
    func closed() throws {
        let directory = TemporaryDirectory()
        let store = try SQLiteStore(directory: directory.path)
        try store.put("ns", b("k"), b("v"))
        store.close()
        store.close()
        #expect(throws: MetadataError.closed) { try store.put("ns", b("k"), b("v")) }
        #expect(throws: MetadataError.closed) { try store.get("ns", b("k")) }
        #expect(throws: MetadataError.closed) { try store.dropNamespace("ns") }
    }

    @Test("concurrent commits share transactions (group commit)")
    func groupCommit() throws {
        let directory = TemporaryDirectory()
        let store = try SQLiteStore(directory: directory.path)
        defer { store.close() }
        let before = store.writerStatistics
        onThreads(64) { thread in
            for index in 0..<10 { try? store.put("ns", b("\(thread)/\(index)"), []) }
        }
        let after = store.writerStatistics
        let batches = after.batches - before.batches
        let transactions = after.transactions - before.transactions
        #expect(batches == 640)
        #expect(transactions < batches)
        #expect(try everything(store, "ns").count == 640)
    }

    @Test("every COMMIT reports how many batches it carried and how long it took")
    func commitMetrics() throws {
        let directory = TemporaryDirectory()
        let metrics = TestMetrics()
        let store = try SQLiteStore(directory: directory.path, metrics: CommitMetrics(factory: metrics))
        defer { store.close() }
        onThreads(16) { thread in
            for index in 0..<10 { try? store.put("ns", b("\(thread)/\(index)"), []) }
        }
        let groups = try metrics.expectRecorder(CommitMetrics.batchesLabel).values
        let commits = try metrics.expectTimer(CommitMetrics.fsyncLabel).values
        #expect(groups.reduce(0, +) == 160)
        #expect(commits.count == groups.count)
        #expect(commits.allSatisfy { $0 > 0 })
        #expect(commits.count == store.writerStatistics.transactions)
    }
}

/// The thread rule of SQLite connections.
@Suite("SQLiteConnection")
struct SQLiteConnectionTests {
    @Test("a connection used off the thread that owns it stops the process")
    func wrongThread() async {
        await #expect(processExitsWith: .failure) {
            let directory = TemporaryDirectory()
            let connection = try SQLiteConnection(path: directory.path + "/x.sqlite3", mode: .readWriteCreate)
            let thread = NativeThread { try? connection.execute("SELECT 1") }
            thread.join()
        }
    }
}
