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
/// `@unchecked Sendable`: every stored property is read and written under `mutex`.
final class WorkQueue: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [Job] = []
    private var head = 0
    private var waiting = 0
    private var stopped = false

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Appends a job and wakes one waiting worker. Returns false (job not taken) once stopped.
    @discardableResult
    func submit(_ job: Job) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if stopped { return false }
        jobs.append(job)
        if waiting > 0 { pthread_cond_signal(condition) }
        return true
    }

    /// The oldest job, waiting for one; nil once the queue is stopped.
    func next() -> Job? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while head == jobs.count && !stopped {
            waiting += 1
            pthread_cond_wait(condition, mutex)
            waiting -= 1
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
}

/// Starts a detached-from-Swift-concurrency OS thread running `body`; join it with `pthread_join`.
func spawnThread(_ body: @escaping @Sendable () -> Void) -> pthread_t {
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
