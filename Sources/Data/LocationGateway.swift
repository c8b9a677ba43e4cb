import CoreMetrics
import Dispatch
import HTTP
import Locks

/// Routes data operations to the backend of a location name (`locationConfig.json`).
/// Stored `DataLocation`s carry their location, so reads and deletes go back to the backend
/// that wrote them even after a bucket's default location changes. Backend failures are
/// counted per location (`BackendErrorMetrics`).
package struct LocationGateway: Sendable {
    /// Backends by location name.
    package let backends: [String: any DataBackend]
    /// The location used when a request names none.
    package let defaultLocation: String
    /// Failures of `put`, `get` and `delete`, by location.
    package let errors: BackendErrorMetrics

    package init(
        backends: [String: any DataBackend], defaultLocation: String,
        metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) {
        self.backends = backends
        self.defaultLocation = defaultLocation
        self.errors = BackendErrorMetrics(factory: metrics)
    }

    /// The backend of `location`, nil when no such location is configured.
    package func backend(for location: String) -> (any DataBackend)? {
        backends[location]
    }

    /// Stores `body` of `object` at `location` (default: `defaultLocation`).
    /// - Throws: `unavailable` for an unknown location, else whatever the backend throws.
    package func put(_ body: any ByteSource, size: Int64?, object: ObjectIdentity, location: String? = nil)
        throws(DataError) -> DataLocation
    {
        let name = location ?? defaultLocation
        do throws(DataError) {
            return try requireBackend(name).put(body, size: size, object: object)
        } catch {
            errors.record(error, .put, location: name)
            throw error
        }
    }

    /// Reads `location` from the backend that stored it. Failures while the returned stream
    /// is read are the reader's to handle.
    package func get(_ location: DataLocation, range: ClosedRange<Int64>? = nil) throws(DataError)
        -> any ByteSource
    {
        do throws(DataError) {
            return try requireBackend(location.location).get(location, range: range)
        } catch {
            errors.record(error, .get, location: location.location)
            throw error
        }
    }

    /// Deletes `location` from the backend that stored it.
    package func delete(_ location: DataLocation) throws(DataError) {
        do throws(DataError) {
            try requireBackend(location.location).delete(location)
        } catch {
            errors.record(error, .delete, location: location.location)
            throw error
        }
    }

    /// Whether data at `location` is best freed later, in batches (`DataBackend.deletesInBatches`):
    /// a remote version, which never comes back into use once replaced.
    package func freesInBatches(_ location: DataLocation) -> Bool {
        location.dataStoreVersionID != nil && backends[location.location]?.deletesInBatches == true
    }

    /// Deletes `locations`, all of one location, in as few requests as its backend allows;
    /// returns those now gone.
    package func deleteBatch(_ locations: [DataLocation]) -> [DataLocation] {
        guard let name = locations.first?.location, let backend = backends[name] else { return [] }
        let gone = backend.deleteBatch(locations)
        if gone.count < locations.count {
            errors.record(.unavailable("batch delete"), .delete, location: name)
        }
        return gone
    }

    /// The health of every backend, by location name. Backends are probed in parallel, so a
    /// slow remote costs its own probe timeout once, not once per location.
    package func healthcheck() -> [String: BackendHealth] {
        let entries = Array(backends)
        let results = Locked([String: BackendHealth]())
        DispatchQueue.concurrentPerform(iterations: entries.count) { index in
            let health = entries[index].value.healthcheck()
            results.withLock { $0[entries[index].key] = health }
        }
        return results.withLock { $0 }
    }

    private func requireBackend(_ location: String) throws(DataError) -> any DataBackend {
        guard let backend = backends[location] else {
            throw .unavailable("no data backend for location \(location)")
        }
        return backend
    }
}
