import HTTP

/// Stores object bytes; knows nothing of buckets, versions or ACLs.
package protocol DataBackend: Sendable {
    /// Streams `body` to storage and returns where it went. Durable when this returns (data
    /// fsynced). `size` is the expected length when known; a body of another length throws
    /// `DataError.sizeMismatch` and leaves nothing behind. Errors thrown by `body.read` are
    /// rethrown as `DataError.source(error)` after cleaning up.
    func put(_ body: any ByteSource, size: Int64?) throws(DataError) -> DataLocation

    /// The bytes of `location`, optionally only `range` (offsets within the stored data,
    /// inclusive bounds). Throws `DataError.notFound` if the location is gone.
    func get(_ location: DataLocation, range: ClosedRange<Int64>?) throws(DataError) -> any ByteSource

    /// Removes the data of `location`; no error when it is already gone.
    func delete(_ location: DataLocation) throws(DataError)

    /// A cheap probe of the backend's state.
    func healthcheck() -> BackendHealth
}

/// Where one piece of an object's data lives. Stored inside object metadata (JSON).
package struct DataLocation: Codable, Sendable, Hashable {
    /// The location name of `locationConfig.json` that holds it (e.g. `us-east-1`).
    package var location: String
    /// The backend's own key for the data (file backend: a relative path).
    package var key: String
    /// Bytes stored at `key`.
    package var size: Int64
    /// Where this piece starts within the object (0 for single-part objects).
    package var start: Int64
    /// The remote version id, for backends that version data (aws_s3).
    package var dataStoreVersionID: String?

    package init(
        location: String, key: String, size: Int64, start: Int64 = 0, dataStoreVersionID: String? = nil
    ) {
        self.location = location
        self.key = key
        self.size = size
        self.start = start
        self.dataStoreVersionID = dataStoreVersionID
    }
}

/// The state of a backend as the healthcheck reports it.
package struct BackendHealth: Sendable, Equatable {
    package var ok: Bool
    package var detail: String
    package init(ok: Bool, detail: String = "") {
        self.ok = ok
        self.detail = detail
    }
}

/// Failures of a data backend.
package enum DataError: Error {
    case notFound
    /// No space left on the device (ENOSPC, EDQUOT) or the mem backend's cap reached.
    case insufficientStorage
    /// The body was shorter or longer than the declared size.
    case sizeMismatch(expected: Int64, actual: Int64)
    /// Reading the body failed (client gone, signature mismatch...); the original error.
    case source(any Error)
    /// Another I/O failure.
    case io(String)
    /// The remote backend is unreachable or answered 5xx.
    case unavailable(String)
    /// The backend does not offer this capability.
    case notImplemented
}
