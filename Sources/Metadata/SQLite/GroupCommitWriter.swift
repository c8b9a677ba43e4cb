import Dispatch
import Locks
import Synchronization

/// One change as the writer applies it; namespaces are already UTF-8 bytes.
enum WriteOperation: Sendable {
    case put(namespace: [UInt8], key: [UInt8], value: [UInt8])
    case delete(namespace: [UInt8], key: [UInt8])
    case dropNamespace([UInt8])
}

/// The only thread that writes to the database, committing batches in groups.
///
/// Callers enqueue a batch and block. The writer takes every batch pending at that moment and
/// applies them in one transaction, each inside its own SAVEPOINT, so the whole group costs
/// one COMMIT, which is one fsync of the WAL (`synchronous=FULL`). A batch that fails is
/// rolled back to its savepoint alone and its caller gets the error; the others commit. If the
/// transaction itself fails (disk full, I/O error), every batch of the group is retried in a
/// transaction of its own so that one cannot fail the others. While the writer waits in
/// fsync, new batches pile up and form the next group: the busier the server, the more
/// batches share each fsync.
final class GroupCommitWriter: Sendable {
    private let core: Core
    private let thread: NativeThread

    /// Takes over `connection` (opened and configured by the caller, which releases it here)
    /// and starts the writer thread. Every group's size and COMMIT time go to `metrics`.
    init(connection: SQLiteConnection, limits: MetadataLimits, metrics: CommitMetrics) {
        connection.release()
        let core = Core(limits: limits, metrics: metrics)
        self.core = core
        self.thread = NativeThread { core.run(connection) }
    }

    /// Applies `operations` atomically and durably, waiting for the group they join.
    func submit(_ operations: [WriteOperation]) throws(MetadataError) {
        if operations.isEmpty { return }
        let job = Job(operations)
        let accepted = core.queue.withLock { queue in
            if queue.closed { return false }
            queue.pending.append(job)
            return true
        }
        guard accepted else { throw .closed }
        core.wakeup.signal()
        BlockingWait.around { job.done.wait() }
        if let error = job.outcome.withLock({ $0 }) { throw error }
    }

    /// Lets queued batches finish, stops the thread and closes the connection (which
    /// checkpoints the WAL). Later submits throw `.closed`. Safe to call twice.
    func close() {
        core.queue.withLock { $0.closed = true }
        core.wakeup.signal()
        thread.join()
    }

    /// COMMITs run so far, and batches they carried (their ratio is the group size).
    var statistics: (transactions: Int, batches: Int) {
        (core.transactions.load(ordering: .relaxed), core.batches.load(ordering: .relaxed))
    }

    /// One caller's batch, waiting for its outcome.
    private final class Job: Sendable {
        let operations: [WriteOperation]
        let done = DispatchSemaphore(value: 0)
        let outcome = Locked<MetadataError?>(nil)
        init(_ operations: [WriteOperation]) { self.operations = operations }

        func finish(_ error: MetadataError?) {
            outcome.withLock { $0 = error }
            done.signal()
        }
    }

    /// Batches waiting for the writer.
    private struct Queue {
        var pending: [Job] = []
        var closed = false
    }

    /// State shared by callers and the writer thread.
    private final class Core: Sendable {
        let queue = Locked(Queue())
        let wakeup = DispatchSemaphore(value: 0)
        let limits: MetadataLimits
        let metrics: CommitMetrics
        let transactions = Atomic<Int>(0)
        let batches = Atomic<Int>(0)

        init(limits: MetadataLimits, metrics: CommitMetrics) {
            self.limits = limits
            self.metrics = metrics
        }

        /// The writer thread's loop; returns (dropping the connection) once closed and drained.
        func run(_ connection: SQLiteConnection) {
            connection.adopt()
            var closed = false
            while !closed {
                wakeup.wait()
                let jobs: [Job]
                (jobs, closed) = queue.withLock { queue in
                    defer { queue.pending.removeAll() }
                    return (queue.pending, queue.closed)
                }
                if !jobs.isEmpty { process(jobs, connection) }
            }
            connection.release()
        }

        private func process(_ jobs: [Job], _ connection: SQLiteConnection) {
            var outcomes = [MetadataError?](repeating: nil, count: jobs.count)
            do {
                try runTogether(jobs, &outcomes, connection)
                transactions.add(1, ordering: .relaxed)
            } catch {
                rollback(connection)
                for index in jobs.indices {
                    outcomes[index] = runAlone(jobs[index], connection)
                    transactions.add(1, ordering: .relaxed)
                }
            }
            batches.add(jobs.count, ordering: .relaxed)
            metrics.batches.record(jobs.count)
            for (job, outcome) in zip(jobs, outcomes) { job.finish(outcome) }
        }

        /// One transaction for the group, one savepoint per batch.
        private func runTogether(
            _ jobs: [Job], _ outcomes: inout [MetadataError?], _ connection: SQLiteConnection
        ) throws(MetadataError) {
            try connection.execute("BEGIN IMMEDIATE")
            for (index, job) in jobs.enumerated() {
                try connection.execute("SAVEPOINT batch")
                do {
                    try apply(job.operations, connection)
                } catch {
                    outcomes[index] = error
                    // Fails (and sends the group to runAlone) when SQLite already rolled the
                    // whole transaction back, as it does on some I/O errors.
                    try connection.execute("ROLLBACK TO batch")
                }
                try connection.execute("RELEASE batch")
            }
            try commit(connection)
        }

        /// One transaction for one batch: its own error, or nil once committed.
        private func runAlone(_ job: Job, _ connection: SQLiteConnection) -> MetadataError? {
            do {
                try connection.execute("BEGIN IMMEDIATE")
                try apply(job.operations, connection)
                try commit(connection)
                return nil
            } catch {
                rollback(connection)
                return error
            }
        }

        /// COMMIT, timed: the WAL write and its fsync.
        private func commit(_ connection: SQLiteConnection) throws(MetadataError) {
            let start = DispatchTime.now().uptimeNanoseconds
            try connection.execute("COMMIT")
            metrics.fsync.recordNanoseconds(DispatchTime.now().uptimeNanoseconds - start)
        }

        private func rollback(_ connection: SQLiteConnection) {
            if connection.inTransaction { try? connection.execute("ROLLBACK") }
        }

        private func apply(_ operations: [WriteOperation], _ connection: SQLiteConnection)
            throws(MetadataError)
        {
            for operation in operations {
                switch operation {
                case .put(let namespace, let key, let value):
                    try limits.check(key: key, value: value)
                    let statement = try connection.statement(
                        "INSERT INTO kv(ns, k, v) VALUES (?1, ?2, ?3) ON CONFLICT(ns, k) DO UPDATE SET v = excluded.v"
                    )
                    try statement.bind(1, namespace)
                    try statement.bind(2, key)
                    try statement.bind(3, value)
                    try statement.run()
                case .delete(let namespace, let key):
                    let statement = try connection.statement("DELETE FROM kv WHERE ns = ?1 AND k = ?2")
                    try statement.bind(1, namespace)
                    try statement.bind(2, key)
                    try statement.run()
                case .dropNamespace(let namespace):
                    let statement = try connection.statement("DELETE FROM kv WHERE ns = ?1")
                    try statement.bind(1, namespace)
                    try statement.run()
                }
            }
        }
    }
}
