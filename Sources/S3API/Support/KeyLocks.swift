import Locks

/// Striped mutexes that serialise read-modify-write sequences on one object key (versioning,
/// conditional writes, overwrite + free old data). Metadata commits are atomic on their own;
/// these locks make "read the master, plan, commit" atomic per key within this process. Beside
/// them, per-bucket gates keep DeleteBucket's "is it empty, then drop it" apart from commits.
package final class KeyLocks: Sendable {
    /// One lock of the table.
    private final class Stripe: Sendable {
        let mutex = Lock()
    }

    private let stripes: [Stripe]
    /// Bucket gates, striped by bucket: object commits hold one shared, DeleteBucket exclusive.
    private let gates: [ReadWriteLock]

    package init(count: Int = 1024) {
        stripes = (0..<count).map { _ in Stripe() }
        gates = (0..<64).map { _ in ReadWriteLock() }
    }

    /// Runs `body` while no DeleteBucket of `bucket` (its uid) can run: every commit into a
    /// bucket's object namespace holds this, so a bucket found empty stays empty until dropped.
    package func withBucketShared<T, E: Error>(_ bucket: String, _ body: () throws(E) -> T) throws(E) -> T {
        try gate(bucket).withReadLock(body)
    }

    /// Runs `body` alone against every commit into `bucket` (its uid): DeleteBucket.
    package func withBucketExclusive<T, E: Error>(_ bucket: String, _ body: () throws(E) -> T) throws(E) -> T
    {
        try gate(bucket).withWriteLock(body)
    }

    private func gate(_ bucket: String) -> ReadWriteLock {
        var hasher = Hasher()
        hasher.combine(bucket)
        return gates[Int(UInt(bitPattern: hasher.finalize()) % UInt(gates.count))]
    }

    /// Runs `body` holding the lock of `(bucket, key)`.
    package func withLock<T, E: Error>(bucket: String, key: String, _ body: () throws(E) -> T) throws(E) -> T
    {
        var hasher = Hasher()
        hasher.combine(bucket)
        hasher.combine(key)
        let index = Int(UInt(bitPattern: hasher.finalize()) % UInt(stripes.count))
        // Held across a metadata commit: a contended wait lets the worker pool run another.
        return try stripes[index].mutex.withLockWaitMarked(body)
    }
}
