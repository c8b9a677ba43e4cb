import Metadata

extension RequestContext {
    /// Commits `batch` into `bucket`'s namespace, unless the bucket was deleted (or deleted and
    /// created again) since the request loaded it: then `NoSuchBucket` and nothing is written.
    /// Holds the bucket's gate shared, so DeleteBucket, which takes it exclusively to check the
    /// bucket is empty and drop it, never drops rows committed after its check.
    func commit(_ batch: [MetadataOperation], into bucket: BucketInfo) throws(S3Error) {
        try service.locks.withBucketShared(bucket.uid) { () throws(S3Error) in
            guard try service.buckets.load(bucket.name)?.uid == bucket.uid else {
                throw S3Error.noSuchBucket.with("BucketName", bucket.name)
            }
            do {
                try store.commit(batch)
            } catch {
                throw S3Error(error)
            }
        }
    }
}
