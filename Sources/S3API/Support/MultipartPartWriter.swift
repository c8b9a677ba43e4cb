import Data
import HTTP
import Metadata

extension RequestContext {
    /// The upload a part request names, checked against its key.
    /// - Throws: `S3Error.noSuchUpload`.
    func loadUpload(bucket: BucketInfo, key: String, uploadID: String) throws(S3Error) -> MultipartUpload {
        guard
            let upload = try MultipartCatalog.loadUpload(store, bucket: bucket, key: key, uploadID: uploadID)
        else {
            throw S3Error.noSuchUpload.with("UploadId", uploadID)
        }
        return upload
    }

    /// Streams a part's bytes (already wrapped for hashing) to the upload's location: straight
    /// into the remote part when the backend assembles the upload itself (its ETag, checked
    /// against the MD5 computed on the way, comes back; no data location), else as data of its
    /// own. An empty local part stores nothing; its body is still read to its end so that
    /// signatures are checked.
    func storePart(
        _ source: HashingSource, size: Int64?, upload: MultipartUpload, partNumber: Int, bucket: BucketInfo
    ) throws(S3Error) -> (location: DataLocation?, dataStoreETag: String?) {
        if let remote = upload.remote {
            let backend = try backend(for: upload.location)
            let eTag: String
            do {
                eTag = try backend.uploadPart(
                    source, size: size, upload: remote, partNumber: partNumber)
            } catch {
                throw S3Error(error)
            }
            try Self.verifyRemoteETag(eTag, source)
            return (nil, eTag)
        }
        if size == 0 {
            try drain(source)
            return (nil, nil)
        }
        let location = try storeData(
            source, size: size, location: upload.location, object: upload.object.identity(bucket: bucket.name)
        )
        if location.size == 0 {
            freeData([location])
            return (nil, nil)
        }
        return (location, nil)
    }

    /// Makes `part` the current part of its number in `upload`: its record and its data
    /// reference in one batch, under the upload's lock so that a part never lands in an upload
    /// that a racing Complete or Abort has just removed. The part it replaces is freed after
    /// the commit; on failure the new part's data is freed.
    /// - Throws: `S3Error.noSuchUpload` when the upload is gone.
    func commitPart(_ part: PartRecord, upload: MultipartUpload, bucket: BucketInfo) throws(S3Error) {
        let namespace = BucketCatalog.objectNamespace(bucket)
        let newData = part.location.map { [$0] } ?? []
        let replaced: PartRecord?
        do {
            replaced = try MultipartCatalog.locks.withLock(bucket: bucket.uid, key: upload.uploadID) {
                () throws(S3Error) -> PartRecord? in
                _ = try loadUpload(bucket: bucket, key: upload.key, uploadID: upload.uploadID)
                let current = try MultipartCatalog.loadPart(
                    store, bucket: bucket, uploadID: upload.uploadID, partNumber: part.partNumber)
                var batch: [MetadataOperation] = [
                    .put(
                        namespace: namespace,
                        key: MultipartCatalog.partKey(uploadID: upload.uploadID, partNumber: part.partNumber),
                        value: try Records.encode(part))
                ]
                batch += ObjectCatalog.addRefs(newData)
                if let old = current?.location { batch += ObjectCatalog.dropRefs([old]) }
                try commit(batch, into: bucket)
                return current
            }
        } catch {
            freeData(newData)
            throw error
        }
        if let old = replaced?.location { freeData([old]) }
    }
}
