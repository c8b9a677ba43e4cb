import HTTP

/// Stores object bytes; knows nothing of buckets' versions or ACLs.
///
/// `object` names the object the bytes belong to: remote backends (aws_s3) name their data after
/// it and keep its content headers and user metadata with it; the file and mem backends ignore
/// it. Multipart uploads that a backend runs itself, and copies inside one backend, are optional
/// capabilities (`DataBackend+Multipart.swift`) whose defaults throw `.notImplemented`.
package protocol DataBackend: Sendable {
    /// Streams `body` to storage and returns where it went. Durable when this returns (data
    /// fsynced, or acknowledged by the remote). `size` is the expected length when known; a body
    /// of another length throws `DataError.sizeMismatch` and leaves nothing behind. Errors thrown
    /// by `body.read` are rethrown as `DataError.source(error)` after cleaning up.
    func put(_ body: any ByteSource, size: Int64?, object: ObjectIdentity) throws(DataError) -> DataLocation

    /// The bytes of `location`, optionally only `range` (offsets within the stored data,
    /// inclusive bounds). Throws `DataError.notFound` if the location is gone.
    func get(_ location: DataLocation, range: ClosedRange<Int64>?) throws(DataError) -> any ByteSource

    /// Removes the data of `location`; no error when it is already gone.
    func delete(_ location: DataLocation) throws(DataError)

    /// True when each delete is a remote round trip that a batch saves (aws_s3): replaced data
    /// is then freed in the background, many pieces per request (`deleteBatch`).
    var deletesInBatches: Bool { get }

    /// Removes many pieces of data; returns those now gone (deleted, or already absent). The
    /// rest failed and may be tried again.
    func deleteBatch(_ locations: [DataLocation]) -> [DataLocation]

    /// A cheap probe of the backend's state (remote backends cache it a few seconds).
    func healthcheck() -> BackendHealth

    /// Starts an upload whose parts the backend assembles itself.
    /// - Throws: `.notImplemented` (the default) when parts are stored as separate data.
    func createMultipartUpload(_ object: ObjectIdentity) throws(DataError) -> RemoteUpload

    /// Streams one part of `upload`; returns the backend's ETag of the part.
    func uploadPart(_ body: any ByteSource, size: Int64?, upload: RemoteUpload, partNumber: Int)
        throws(DataError) -> String

    /// Makes a part of `upload` from data this backend already holds, without moving the bytes;
    /// returns the backend's ETag of the part (the MD5 of its bytes).
    /// - Throws: `.notImplemented` (the default) when the bytes must be streamed.
    func uploadPartCopy(
        from source: DataLocation, range: ClosedRange<Int64>?, upload: RemoteUpload, partNumber: Int
    ) throws(DataError) -> String

    /// Assembles `parts` (in order, `size` bytes in all) into the upload's object; `object`
    /// gives the content headers and metadata a backend sets only now (azure).
    func completeMultipartUpload(
        _ upload: RemoteUpload, parts: [RemotePart], size: Int64, object: ObjectIdentity
    ) throws(DataError) -> DataLocation

    /// Drops the upload and every part stored for it; no error when it is already gone.
    func abortMultipartUpload(_ upload: RemoteUpload) throws(DataError)
}

/// Where one piece of an object's data lives. Stored inside object metadata (JSON).
package struct DataLocation: Codable, Sendable, Hashable {
    /// The location name of `locationConfig.json` that holds it (e.g. `us-east-1`).
    package var location: String
    /// The backend's own key for the data (file backend: a relative path; aws_s3: the remote
    /// object name).
    package var key: String
    /// Bytes stored at `key`.
    package var size: Int64
    /// Where this piece starts within the object (0 for single-part objects).
    package var start: Int64
    /// The remote version id, for backends that version data (aws_s3 on a versioned bucket):
    /// every write of a key is its own remote version, so overwritten data never aliases.
    package var dataStoreVersionID: String?
    /// The remote ETag (aws_s3): lets a delete on a remote bucket without versioning tell this
    /// data from a newer write of the same name.
    package var dataStoreETag: String?

    package init(
        location: String, key: String, size: Int64, start: Int64 = 0, dataStoreVersionID: String? = nil,
        dataStoreETag: String? = nil
    ) {
        self.location = location
        self.key = key
        self.size = size
        self.start = start
        self.dataStoreVersionID = dataStoreVersionID
        self.dataStoreETag = dataStoreETag
    }
}

/// The state of a backend as the healthcheck reports it.
package struct BackendHealth: Sendable, Equatable {
    package var ok: Bool
    package var detail: String
    /// The data lives in another service (aws_s3, azure): its failure does not make this server
    /// unhealthy (docs 8.1.6).
    package var external: Bool
    package init(ok: Bool, detail: String = "", external: Bool = false) {
        self.ok = ok
        self.detail = detail
        self.external = external
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
    /// The remote backend is unreachable, too slow, or answered an error; what happened.
    case unavailable(String)
    /// The backend must know the length before the first byte (a remote PUT).
    case lengthRequired
    /// The backend does not offer this capability.
    case notImplemented
}
