#if canImport(Glibc)
    import Glibc
#endif

/// A thread pool told when one of its threads waits on something slow: a socket, the disk, a
/// metadata commit, a lock held across such a wait.
///
/// The server's worker pool keeps only a few workers running at once (more only thrash two cores
/// with wake-ups and context switches) and uses these calls to run another one while a worker
/// is parked.
package protocol BlockingObserver: AnyObject, Sendable {
    /// The calling thread is about to wait.
    func willBlock()
    /// The calling thread's wait is over.
    func didUnblock()
}

/// Marks waits on the calling thread for the pool that runs it (`install`); on any other thread
/// (event loops, tests, the commit thread) the marks cost a thread-local read and do nothing.
package enum BlockingWait {
    /// Per thread: the pool and how deep the current marked wait is nested.
    private final class ThreadState {
        let observer: any BlockingObserver
        var depth = 0
        init(_ observer: any BlockingObserver) { self.observer = observer }
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let rc = pthread_key_create(&key, nil)
        precondition(rc == 0, "pthread_key_create failed: \(rc)")
        return key
    }()

    /// Makes `observer` the pool of the calling thread until `uninstall()`.
    package static func install(_ observer: any BlockingObserver) {
        uninstall()
        pthread_setspecific(key, Unmanaged.passRetained(ThreadState(observer)).toOpaque())
    }

    /// Forgets the calling thread's pool.
    package static func uninstall() {
        guard let raw = pthread_getspecific(key) else { return }
        Unmanaged<ThreadState>.fromOpaque(raw).release()
        pthread_setspecific(key, nil)
    }

    /// Runs `body`, a wait, with the calling thread's pool told before and after (once for
    /// nested waits).
    package static func around<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        guard let raw = pthread_getspecific(key) else { return try body() }
        let state = Unmanaged<ThreadState>.fromOpaque(raw).takeUnretainedValue()
        state.depth += 1
        if state.depth == 1 { state.observer.willBlock() }
        defer {
            state.depth -= 1
            if state.depth == 0 { state.observer.didUnblock() }
        }
        return try body()
    }
}
