import Data
import HTTP
import Metadata

extension RequestContext {
    /// DeleteBucket: only a bucket without objects, versions or delete markers, only by its
    /// owner; 204. Multipart uploads still in progress do not keep a bucket alive: as on S3,
    /// they go with it and their parts' data is freed after the drop is durable. Runs alone
    /// against commits into the bucket (`withBucketExclusive`), so nothing lands between the
    /// check and the drop.
    /// - Throws: `S3Error.bucketNotEmpty`, `.noSuchBucket`, `.accessDenied`.
    func deleteBucket() throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        let freed = try service.locks.withLock(bucket: "", key: bucket.name) {
            () throws(S3Error) -> [DataLocation] in
            try service.locks.withBucketExclusive(bucket.uid) { () throws(S3Error) -> [DataLocation] in
                let namespace = BucketCatalog.objectNamespace(bucket)
                do {
                    for tag in [VersionedLayout.masterTag, VersionedLayout.versionTag]
                    where try !store.list(namespace, prefix: [tag], limit: 1).isEmpty {
                        throw S3Error.bucketNotEmpty.with("BucketName", bucket.name)
                    }
                    var parts: [DataLocation] = []
                    try store.scan(
                        namespace, from: [MultipartCatalog.partTag], to: prefixEnd([MultipartCatalog.partTag])
                    ) { _, value in
                        if let location = try Records.decode(PartRecord.self, value).location {
                            parts.append(location)
                        }
                        return .next
                    }
                    try service.buckets.remove(bucket, alongWith: ObjectCatalog.dropRefs(parts))
                    try store.dropNamespace(namespace)
                    return parts
                } catch let error as S3Error {
                    throw error
                } catch {
                    throw S3Error(error)
                }
            }
        }
        freeData(freed)
        return .empty(204)
    }
}
