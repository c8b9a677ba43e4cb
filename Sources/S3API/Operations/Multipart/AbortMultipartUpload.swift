import Data
import HTTP
import Metadata

extension RequestContext {
    /// AbortMultipartUpload: aborts a remote upload first (a failure keeps everything, so the
    /// abort can be retried), then removes the upload and its part records and data references
    /// in one batch, then frees every part's data; 204.
    /// - Throws: `S3Error.noSuchUpload`.
    func abortMultipartUpload(key: String, uploadID: String) throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        let namespace = BucketCatalog.objectNamespace(bucket)
        let freed = try MultipartCatalog.locks.withLock(bucket: bucket.uid, key: uploadID) {
            () throws(S3Error) -> [DataLocation] in
            try abortRemoteUpload(try loadUpload(bucket: bucket, key: key, uploadID: uploadID))
            let parts = try MultipartCatalog.loadParts(store, bucket: bucket, uploadID: uploadID)
            let data = parts.compactMap(\.location)
            var batch: [MetadataOperation] = [
                .delete(namespace: namespace, key: MultipartCatalog.uploadKey(key: key, uploadID: uploadID))
            ]
            batch += parts.map {
                .delete(
                    namespace: namespace,
                    key: MultipartCatalog.partKey(uploadID: uploadID, partNumber: $0.partNumber))
            }
            batch += ObjectCatalog.dropRefs(data)
            do {
                try store.commit(batch)
            } catch {
                throw S3Error(error)
            }
            return data
        }
        freeData(freed)
        return .empty(204)
    }
}
