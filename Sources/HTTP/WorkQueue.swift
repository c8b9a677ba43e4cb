import Locks

#if canImport(Glibc)
    import Glibc
#endif

/// Work for a worker thread.
enum Job: Sendable {
    /// A complete request head was read: run the handler.
    case request(Connection, RequestHead)
    /// The head was refused: answer `status` through `HTTPHandler.refuse` and close.
    case refuse(Connection, status: Int, reason: String)

    var connection: Connection {
        switch self {
        case .request(let c, _), .refuse(let c, _, _): c
        }
    }
}

/// A FIFO of jobs with blocking `next()`: a pthread mutex and condition variable, since
/// `Synchronization.Mutex` has no condition to wait on. The fixed number of workers taking from it
/// is the server's backpressure: heads wait here while every worker is busy.
///
/// Of those workers, at most `runLimit` run at once; the others sleep until one of the running
/// ones parks in a marked wait (`BlockingWait`: a socket that is not ready, an fsync, a commit, a
/// contended key lock). A job is then left for a running worker to take when it finishes,
/// rather than waking a sleeper for it: on two cores, waking one of 64 workers per request cost
/// more in futex calls and context switches than the request itself (HEAD at 64 connections:
/// 26k/s with every worker runnable, 30k/s with four).
///
/// `@unchecked Sendable`: every stored property but the constant `runLimit` is read and written
/// under `mutex`.
final class WorkQueue: BlockingObserver, @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let runLimit: Int
    private var jobs: [Job] = []
    private var head = 0
    /// Workers asleep in `next()`.
    private var sleeping = 0
    /// Wake-ups granted to sleepers and not yet taken.
    private var permits = 0
    /// Workers awake and not in a marked wait, counting the ones granted a wake-up.
    private var running = 0
    private var stopped = false

    /// - Parameter runLimit: workers running at once outside marked waits (at least 1).
    init(runLimit: Int) {
        self.runLimit = max(1, runLimit)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Appends a job, waking a sleeper if fewer than `runLimit` workers run. Returns false (job
    /// not taken) once stopped.
    @discardableResult
    func submit(_ job: Job) -> Bool {
        pthread_mutex_lock(mutex)
        if stopped {
            pthread_mutex_unlock(mutex)
            return false
        }
        jobs.append(job)
        let wake = grantWakeUp()
        pthread_mutex_unlock(mutex)
        // Signalled after unlocking: a worker woken inside the lock would block on it at once.
        if wake { pthread_cond_signal(condition) }
        return true
    }

    /// Counts the calling worker as running: once, when its thread starts.
    func join() {
        pthread_mutex_lock(mutex)
        running += 1
        pthread_mutex_unlock(mutex)
    }

    /// The oldest job, sleeping until one is granted to the caller; nil once the queue is stopped.
    func next() -> Job? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while head == jobs.count && !stopped {
            running -= 1
            sleeping += 1
            while permits == 0 && !stopped { pthread_cond_wait(condition, mutex) }
            sleeping -= 1
            if stopped { return nil }
            // `running` already counts this worker: the grant did.
            permits -= 1
        }
        if stopped { return nil }
        let job = jobs[head]
        head += 1
        if head == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }

    func willBlock() {
        pthread_mutex_lock(mutex)
        running -= 1
        let wake = grantWakeUp()
        pthread_mutex_unlock(mutex)
        if wake { pthread_cond_signal(condition) }
    }

    func didUnblock() {
        pthread_mutex_lock(mutex)
        running += 1
        pthread_mutex_unlock(mutex)
    }

    /// Stops the queue: waiting workers return nil. Returns the jobs nobody took.
    func stop() -> [Job] {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        stopped = true
        let rest = Array(jobs[head...])
        jobs = []
        head = 0
        pthread_cond_broadcast(condition)
        return rest
    }

    /// Under `mutex`: grants a sleeper a wake-up when a job has nobody to take it and fewer than
    /// `runLimit` workers run. True: signal the condition after unlocking.
    private func grantWakeUp() -> Bool {
        guard jobs.count - head > permits, sleeping > permits, running < runLimit else { return false }
        permits += 1
        running += 1
        return true
    }
}

/// Starts a detached-from-Swift-concurrency OS thread running `body`; join it with `pthread_join`.
package func spawnThread(_ body: @escaping @Sendable () -> Void) -> pthread_t {
    final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    var thread = pthread_t()
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    let rc = pthread_create(
        &thread, nil,
        { raw in
            Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, context)
    precondition(rc == 0, "pthread_create failed: \(rc)")
    return thread
}
