import HTTP
import Metadata

extension RequestContext {
    /// DeleteBucket: only an empty bucket, only by its owner; 204. Runs alone against commits
    /// into the bucket (`withBucketExclusive`), so nothing lands between the check and the drop.
    func deleteBucket() throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        return try service.locks.withLock(bucket: "", key: bucket.name) { () throws(S3Error) -> HTTPResponse in
            try service.locks.withBucketExclusive(bucket.uid) { () throws(S3Error) -> HTTPResponse in
                let namespace = BucketCatalog.objectNamespace(bucket)
                do {
                    var empty = true
                    try store.scan(namespace, from: [], to: nil) { _, _ in
                        empty = false
                        return .stop
                    }
                    guard empty else { throw S3Error.bucketNotEmpty.with("BucketName", bucket.name) }
                    try service.buckets.remove(bucket)
                    try store.dropNamespace(namespace)
                } catch {
                    throw S3Error(error)
                }
                return .empty(204)
            }
        }
    }
}
