import Glibc
import Synchronization

/// A joinable POSIX thread running one closure; the store's writer runs on one.
///
/// A plain thread rather than a dispatch queue: the writer blocks in `fsync` for long
/// stretches and must not take a thread from a shared pool.
final class NativeThread: Sendable {
    private let thread: pthread_t
    private let joined = Atomic<Bool>(false)

    /// Carries the closure across `pthread_create`'s `void *` argument.
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Starts `body` on a new thread.
    init(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let code = pthread_create(
            &thread, nil,
            { argument in
                // The box retained above is taken over here and released when the body returns.
                let body = Unmanaged<Body>.fromOpaque(argument!).takeRetainedValue()
                body.run()
                return nil
            }, box)
        precondition(code == 0, "pthread_create failed with error \(code)")
        self.thread = thread
    }

    /// Waits for the thread to finish (the first call; later calls return at once).
    func join() {
        if joined.exchange(true, ordering: .acquiringAndReleasing) { return }
        pthread_join(thread, nil)
    }
}
