import Data
import Logging
import Metadata
import S3API
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Removes data files no committed metadata references: left by a crash between a data write
/// and its metadata commit, or between a metadata commit and the freeing of old data. Only
/// files older than this process are considered, so puts in flight are never touched.
final class OrphanSweeper: Sendable {
    private let backend: FileBackend
    private let store: any MetadataStore
    private let locationNames: [String]
    private let logger: Logger
    private let startedAt: Int64
    private let stopped = Atomic<Bool>(false)
    private let thread = Mutex<pthread_t?>(nil)

    init(backend: FileBackend, store: any MetadataStore, locationNames: [String], logger: Logger) {
        self.backend = backend
        self.store = store
        self.locationNames = locationNames
        self.logger = logger
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        startedAt = Int64(ts.tv_sec)
    }

    /// Temp files of a previous process can never complete: removed before serving.
    func removeTemporaryFiles() throws {
        let removed = try backend.removeTemporaryFiles()
        if removed > 0 { logger.info("removed temporary data files", metadata: ["count": "\(removed)"]) }
    }

    /// One pass over the data files; returns how many were removed.
    @discardableResult
    func sweep() -> Int {
        var orphans: [StoredData] = []
        do {
            try backend.forEachStoredData(modifiedBefore: startedAt) { data in
                if stopped.load(ordering: .relaxed) { return }
                let referenced =
                    (try? locationNames.contains { name in
                        try ObjectCatalog.isReferenced(store, location: name, key: data.key)
                    }) ?? true
                if !referenced { orphans.append(data) }
            }
        } catch {
            logger.warning("data sweep failed", metadata: ["error": "\(error)"])
        }
        for orphan in orphans {
            try? backend.delete(
                DataLocation(location: backend.locationName, key: orphan.key, size: orphan.size))
        }
        if !orphans.isEmpty {
            logger.info("removed orphan data files", metadata: ["count": "\(orphans.count)"])
        }
        return orphans.count
    }

    /// Runs `sweep()` once on a background thread.
    func startBackgroundSweep() {
        let box = Unmanaged.passRetained(self)
        var tid = pthread_t()
        let rc = pthread_create(
            &tid, nil,
            { arg in
                let sweeper = Unmanaged<OrphanSweeper>.fromOpaque(arg!).takeRetainedValue()
                sweeper.sweep()
                return nil
            }, box.toOpaque())
        if rc == 0 {
            thread.withLock { $0 = tid }
        } else {
            box.release()
        }
    }

    /// Asks the sweep to stop and waits for it.
    func stop() {
        stopped.store(true, ordering: .relaxed)
        if let tid = thread.withLock({ t -> pthread_t? in
            defer { t = nil }; return t
        }) {
            pthread_join(tid, nil)
        }
    }
}
