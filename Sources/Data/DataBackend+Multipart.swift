import HTTP

/// An upload a backend assembles itself (aws_s3 multipart upload, azure block list): its parts go
/// straight to the backend and are never staged locally. Kept in the upload's record.
package struct RemoteUpload: Codable, Sendable, Equatable {
    /// The backend's name of the object being assembled.
    package var key: String
    /// The backend's id of the upload (aws_s3 `UploadId`; azure: the prefix of its block ids).
    package var uploadID: String

    package init(key: String, uploadID: String) {
        self.key = key
        self.uploadID = uploadID
    }
}

/// One part named in a completion, with the ETag the backend gave it.
package struct RemotePart: Sendable, Equatable {
    package var partNumber: Int
    package var eTag: String

    package init(partNumber: Int, eTag: String) {
        self.partNumber = partNumber
        self.eTag = eTag
    }
}

/// The defaults of the optional capabilities: a backend without them stores every part as
/// separate data (file, mem).
extension DataBackend {
    package func createMultipartUpload(_ object: ObjectIdentity) throws(DataError) -> RemoteUpload {
        throw .notImplemented
    }

    package func uploadPart(_ body: any ByteSource, size: Int64?, upload: RemoteUpload, partNumber: Int)
        throws(DataError) -> String
    {
        throw .notImplemented
    }

    package func uploadPartCopy(
        from source: DataLocation, range: ClosedRange<Int64>?, upload: RemoteUpload, partNumber: Int
    ) throws(DataError) -> String {
        throw .notImplemented
    }

    package func completeMultipartUpload(
        _ upload: RemoteUpload, parts: [RemotePart], size: Int64, object: ObjectIdentity
    ) throws(DataError) -> DataLocation {
        throw .notImplemented
    }

    package func abortMultipartUpload(_ upload: RemoteUpload) throws(DataError) {
        throw .notImplemented
    }
}
