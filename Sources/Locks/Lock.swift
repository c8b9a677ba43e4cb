#if canImport(Glibc)
    import Glibc
#endif

/// A plain (adaptive, non priority-inheriting) pthread mutex.
///
/// `Synchronization.Mutex` on Linux is built on priority-inheritance futexes: every contended
/// lock and unlock enters the kernel. The request path takes short locks from many worker
/// threads at once (connection pools, key caches, commit queues), where an adaptive mutex that
/// spins briefly in user space costs a fraction of that (measured: the PI futex path was a
/// fifth of the server's CPU under 64 concurrent HEAD requests).
package final class Lock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    package init() {
        mutex = .allocate(capacity: 1)
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        let rc = pthread_mutex_init(mutex, &attributes)
        precondition(rc == 0, "pthread_mutex_init failed: \(rc)")
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` holding the lock.
    @inlinable
    package func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Runs `body` holding the lock; waiting for it while another thread holds it is a marked
    /// wait (`BlockingWait`): for locks held across I/O, such as per-key write locks.
    package func withLockWaitMarked<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        if pthread_mutex_trylock(mutex) != 0 { BlockingWait.around { lock() } }
        defer { unlock() }
        return try body()
    }

    @usableFromInline func lock() { pthread_mutex_lock(mutex) }
    @usableFromInline func unlock() { pthread_mutex_unlock(mutex) }
}

/// A value guarded by a `Lock`.
package final class Locked<Value>: @unchecked Sendable {
    private let lock = Lock()
    private var value: Value

    package init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    @inlinable
    package func withLock<T, E: Error>(_ body: (inout Value) throws(E) -> T) throws(E) -> T {
        try lock.withLock { () throws(E) -> T in try body(&value) }
    }
}
