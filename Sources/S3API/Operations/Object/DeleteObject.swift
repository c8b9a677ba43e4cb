import HTTP
import Metadata

extension RequestContext {
    /// DeleteObject: removes the key; 204 also when it does not exist (S3 answers deletes of
    /// missing keys with success, so that retries are harmless).
    func deleteObject(key: String, versionID: String?) throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        if let versionID, versionID != "null" {
            throw S3Error.invalidArgument.with(message: "Invalid version id specified")
                .with("ArgumentName", "versionId").with("ArgumentValue", versionID)
        }
        try removeObject(bucket: bucket, key: key)
        return .empty(204)
    }

    /// Deletes the master of `key` and its data references in one batch, then frees the data.
    func removeObject(bucket: BucketInfo, key: String) throws(S3Error) {
        let namespace = BucketCatalog.objectNamespace(bucket)
        let removed = try service.locks.withLock(bucket: bucket.uid, key: key) { () throws(S3Error) -> ObjectMD? in
            guard let current = try ObjectCatalog.loadMaster(store, bucket: bucket, key: key) else { return nil }
            var batch: [MetadataOperation] = [.delete(namespace: namespace, key: ObjectCatalog.masterKey(key))]
            batch += ObjectCatalog.dropRefs(current.locations)
            do {
                try store.commit(batch)
            } catch {
                throw S3Error(error)
            }
            return current
        }
        if let removed { freeData(removed.locations) }
    }
}
