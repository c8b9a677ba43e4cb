import CLinux
import Locks

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a large body to its file on a second thread while the request's thread receives (and
/// hashes) the next buffer, so the copy into the page cache overlaps MD5 instead of following it.
///
/// The caller loops: `buffer()` (waits for a free one), fills it, `submit(count:)`; then
/// `finish()`. A write error is kept and thrown by the caller's next `buffer()` or by `finish()`;
/// the thread then drops further buffers, so the caller never blocks on a dead writer.
///
/// `@unchecked Sendable`: every mutable property is read and written under `mutex`; each buffer
/// is owned by one thread at a time (the caller between `buffer()` and `submit`, the writer
/// between taking it from `full` and returning it to `free`).
final class WriteBehind: @unchecked Sendable {
    private let fd: Int32
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let storage: UnsafeMutableRawBufferPointer
    private let bufferSize: Int
    /// Buffer indexes ready to be filled.
    private var free: [Int]
    /// Filled buffers in file order, with their byte counts; `nil` count ends the stream.
    private var full: [(index: Int, count: Int?)] = []
    /// The buffer the caller holds.
    private var held: Int?
    private var failure: DataError?
    private var thread = pthread_t()

    /// Starts the writer thread over `fd` with `buffers` buffers of `bufferSize` bytes.
    init(fd: Int32, bufferSize: Int, buffers: Int = 3) throws(DataError) {
        self.fd = fd
        self.bufferSize = bufferSize
        storage = .allocate(byteCount: bufferSize * buffers, alignment: 4096)
        free = Array(0..<buffers)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(
            &thread, nil,
            { raw in
                let writer = Unmanaged<WriteBehind>.fromOpaque(raw!).takeRetainedValue()
                writer.run()
                return nil
            }, context)
        if rc != 0 {
            Unmanaged<WriteBehind>.fromOpaque(context).release()
            release()
            throw DataError(errno: rc, function: "pthread_create")
        }
    }

    /// A free buffer to fill, waiting for the writer if all are queued.
    /// - Throws: the writer's error, once a write failed.
    func buffer() throws(DataError) -> UnsafeMutableRawBufferPointer {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if free.isEmpty && failure == nil {
            BlockingWait.around {
                while free.isEmpty && failure == nil { pthread_cond_wait(changed, mutex) }
            }
        }
        if let failure { throw failure }
        let index = free.removeFirst()
        held = index
        return UnsafeMutableRawBufferPointer(
            rebasing: storage[(index * bufferSize)..<((index + 1) * bufferSize)])
    }

    /// Queues the first `count` bytes of the buffer last returned by `buffer()` for writing.
    func submit(count: Int) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard let index = held else { return }
        held = nil
        full.append((index, count))
        pthread_cond_broadcast(changed)
    }

    /// Waits until everything queued is written and stops the thread.
    /// - Throws: the first write error.
    func finish() throws(DataError) {
        pthread_mutex_lock(mutex)
        full.append((-1, nil))
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        BlockingWait.around { _ = pthread_join(thread, nil) }
        defer { release() }
        if let failure { throw failure }
    }

    /// The writer thread: writes queued buffers in order, starting writeback as it goes.
    private func run() {
        var written: Int64 = 0
        var writebackStart: Int64 = 0
        while true {
            pthread_mutex_lock(mutex)
            while full.isEmpty { pthread_cond_wait(changed, mutex) }
            let (index, count) = full.removeFirst()
            let failed = failure != nil
            pthread_mutex_unlock(mutex)
            guard let count else { return }
            var error: DataError?
            if !failed {
                do throws(DataError) {
                    try POSIX.writeAll(fd, storage.baseAddress! + index * bufferSize, count)
                    written += Int64(count)
                    if written - writebackStart >= FileBackend.writebackInterval {
                        _ = clinux_start_writeback(fd, writebackStart, written - writebackStart)
                        writebackStart = written
                    }
                } catch let caught {
                    error = caught
                }
            }
            pthread_mutex_lock(mutex)
            if let error, failure == nil { failure = error }
            free.append(index)
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(mutex)
        }
    }

    private func release() {
        storage.deallocate()
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }
}
