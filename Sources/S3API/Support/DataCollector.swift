import Data
import Dispatch
import HTTP
import Logging
import Metadata
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Frees replaced remote versions in the background, many per request
/// (`DataBackend.deleteBatch`), so that an overwrite costs its client one remote request
/// instead of two. Each piece waits in `__garbage` (`ObjectCatalog`), written in the same atomic
/// batch that dropped its last reference, until its delete succeeds: a crash or a remote outage
/// only delays it, and `start()` takes up what an earlier run left.
package final class DataCollector: Sendable {
    /// Seconds before pieces whose delete failed are tried again.
    static let retryDelay = 5.0
    /// Seconds `stop()` waits for a round in progress.
    static let stopWait = 10.0

    /// Not started yet (overwrites free inline), collecting, or stopped for good.
    private enum Phase { case idle, running, stopping }

    /// What the collector's thread and the request threads share.
    private struct Queue {
        var pending: [DataLocation] = []
        var phase = Phase.idle
    }

    private let store: any MetadataStore
    private let gateway: LocationGateway
    private let logger: Logger
    private let queue = Mutex(Queue())
    private let wakeup = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    package init(store: any MetadataStore, gateway: LocationGateway, logger: Logger) {
        self.store = store
        self.gateway = gateway
        self.logger = logger
    }

    /// Whether `location`, once replaced, is left to the collector: a remote version of a
    /// backend that deletes in batches, while the collector runs.
    package func accepts(_ location: DataLocation) -> Bool {
        gateway.freesInBatches(location) && queue.withLock { $0.phase == .running }
    }

    /// Hands over pieces whose `__garbage` records are committed.
    package func enqueue(_ locations: [DataLocation]) {
        guard !locations.isEmpty else { return }
        queue.withLock { $0.pending += locations }
        wakeup.signal()
    }

    /// Takes up every piece `__garbage` holds, then collects on its own thread until `stop()`.
    package func start() {
        var left: [DataLocation] = []
        do {
            try store.scan(ObjectCatalog.garbageNamespace, from: [], to: nil) { key, _ in
                if let location = ObjectCatalog.garbageLocation(key) { left.append(location) }
                return .next
            }
        } catch {
            logger.warning("could not read the data left to free", metadata: ["error": "\(error)"])
        }
        if !left.isEmpty {
            logger.info("freeing replaced data left by an earlier run", metadata: ["count": "\(left.count)"])
        }
        queue.withLock {
            $0.pending = left + $0.pending
            $0.phase = .running
        }
        pthread_detach(spawnThread { self.run() })
    }

    /// Stops collecting; what is left stays recorded for the next start.
    package func stop() {
        let wasRunning = queue.withLock { queue -> Bool in
            defer { queue.phase = .stopping }
            return queue.phase == .running
        }
        guard wasRunning else { return }
        wakeup.signal()
        _ = finished.wait(timeout: .now() + Self.stopWait)
    }

    /// Collects what is handed over as it comes; what failed waits `retryDelay` before its
    /// next try, however often new pieces arrive.
    private func run() {
        var retry: [DataLocation] = []
        var retryAt = DispatchTime.now()
        while true {
            var (batch, stopping) = queue.withLock { queue in
                defer { queue.pending = [] }
                return (queue.pending, queue.phase == .stopping)
            }
            if stopping { break }
            if !retry.isEmpty && DispatchTime.now() >= retryAt {
                batch += retry
                retry = []
            }
            if batch.isEmpty {
                if retry.isEmpty {
                    wakeup.wait()
                } else {
                    _ = wakeup.wait(timeout: retryAt)
                }
                continue
            }
            let failed = collect(batch)
            if !failed.isEmpty {
                retry += failed
                retryAt = .now() + Self.retryDelay
            }
        }
        finished.signal()
    }

    /// Deletes `batch`, location by location, and drops the records of what is gone; returns
    /// the pieces to try again.
    private func collect(_ batch: [DataLocation]) -> [DataLocation] {
        var failed: [DataLocation] = []
        for (name, pieces) in Dictionary(grouping: batch, by: \.location) {
            guard gateway.backend(for: name) != nil else {
                logger.warning(
                    "replaced data of an unknown location is left as it is",
                    metadata: ["location": "\(name)", "count": "\(pieces.count)"])
                continue
            }
            let gone = gateway.deleteBatch(pieces)
            let goneKeys = Set(gone.map(ObjectCatalog.refKey))
            failed += pieces.filter { !goneKeys.contains(ObjectCatalog.refKey($0)) }
            guard !gone.isEmpty else { continue }
            do {
                try store.commit(
                    goneKeys.map { .delete(namespace: ObjectCatalog.garbageNamespace, key: $0) })
            } catch {
                // The records stay: the next start deletes those versions again, which is harmless.
                logger.warning("could not record freed data", metadata: ["error": "\(error)"])
            }
        }
        if !failed.isEmpty {
            logger.warning(
                "could not free replaced data, will try again", metadata: ["count": "\(failed.count)"])
        }
        return failed
    }
}
