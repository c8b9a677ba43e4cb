import Locks
import Synchronization

/// Striped mutexes that serialise read-modify-write sequences on one object key (versioning,
/// conditional writes, overwrite + free old data). Metadata commits are atomic on their own;
/// these locks make "read the master, plan, commit" atomic per key within this process.
package final class KeyLocks: Sendable {
    /// One lock of the table (a class: `Mutex` is not copyable into an array).
    private final class Stripe: Sendable {
        let mutex = Locked(())
    }

    private let stripes: [Stripe]

    package init(count: Int = 1024) {
        stripes = (0..<count).map { _ in Stripe() }
    }

    /// Runs `body` holding the lock of `(bucket, key)`.
    package func withLock<T, E: Error>(bucket: String, key: String, _ body: () throws(E) -> T) throws(E) -> T
    {
        var hasher = Hasher()
        hasher.combine(bucket)
        hasher.combine(key)
        let index = Int(UInt(bitPattern: hasher.finalize()) % UInt(stripes.count))
        return try stripes[index].mutex.withLock { _ throws(E) -> T in try body() }
    }
}
