import Data

/// Uploads whose location assembles parts itself (aws_s3, azure): the remote upload is created with
/// ours, parts go straight to it (`storePart`), and completion and abort are forwarded.
extension RequestContext {
    /// Creates the backend's own upload at `location`; nil when the backend stores parts as
    /// separate data (file, mem).
    /// - Throws: the translated `DataError` (503 when the remote is unreachable).
    func startRemoteUpload(_ object: ObjectIdentity, location: String) throws(S3Error) -> RemoteUpload? {
        let backend = try backend(for: location)
        do {
            return try backend.createMultipartUpload(object)
        } catch .notImplemented {
            return nil
        } catch {
            throw S3Error(error)
        }
    }

    /// Assembles the remote upload from the chosen parts (with the ETags the remote gave them);
    /// the object's data is then one remote piece.
    func completeRemoteUpload(
        _ upload: MultipartUpload, remote: RemoteUpload, parts: [PartRecord], size: Int64, bucket: String
    )
        throws(S3Error) -> DataLocation
    {
        let backend = try backend(for: upload.location)
        do {
            return try backend.completeMultipartUpload(
                remote,
                parts: parts.map { RemotePart(partNumber: $0.partNumber, eTag: $0.dataStoreETag ?? $0.eTag) },
                size: size, object: upload.object.identity(bucket: bucket))
        } catch {
            throw S3Error(error)
        }
    }

    /// Aborts the remote upload of `upload`, if any.
    /// - Throws: the translated `DataError`: the upload is kept, so the abort can be retried
    ///   rather than leaving parts behind on the remote.
    func abortRemoteUpload(_ upload: MultipartUpload) throws(S3Error) {
        guard let remote = upload.remote else { return }
        let backend = try backend(for: upload.location)
        do {
            try backend.abortMultipartUpload(remote)
        } catch {
            throw S3Error(error)
        }
    }

    /// Best-effort abort of a remote upload that no record will name (its record could not be
    /// committed); a failure is logged.
    func abandonRemoteUpload(_ upload: MultipartUpload) {
        do {
            try abortRemoteUpload(upload)
        } catch {
            service.logger.warning(
                "could not abort a remote upload",
                metadata: ["upload": "\(upload.remote?.uploadID ?? "")", "error": "\(error)"])
        }
    }
}
