import Data
import HTTP
import Logging
import Metadata
import S3Auth

/// One authenticated request on its way through an operation (STYLE rule 16): the service,
/// the request, who sent it and what it names.
package struct RequestContext {
    package let service: S3Service
    package let request: HTTPRequest
    package let requestID: String
    package let bucketName: String?
    package let query: QueryParameters
    package let auth: AuthContext
    package let account: Account

    package var store: any MetadataStore { service.store }
    package var headers: HTTPHeaders { request.headers }

    /// The bucket the request names, which must exist.
    /// - Throws: `S3Error.noSuchBucket`.
    package func loadBucket() throws(S3Error) -> BucketInfo {
        guard let name = bucketName else { throw .noSuchBucket }
        guard let bucket = try service.buckets.load(name) else {
            throw S3Error.noSuchBucket.with("BucketName", name)
        }
        return bucket
    }

    /// Access control until ACLs exist: only the owner may touch a bucket and its objects.
    /// - Throws: `S3Error.accessDenied`.
    package func authorizeOwner(_ bucket: BucketInfo) throws(S3Error) {
        guard bucket.ownerCanonicalID == account.canonicalID else { throw .accessDenied }
    }

    /// Loads the bucket and checks that the requester owns it.
    package func ownedBucket() throws(S3Error) -> BucketInfo {
        let bucket = try loadBucket()
        try authorizeOwner(bucket)
        return bucket
    }

    /// Dispatches to the operation's handler.
    func perform(_ operation: S3Operation, log: inout RequestLog) throws(S3Error) -> HTTPResponse {
        switch operation {
        case .listBuckets: return try listBuckets()
        case .createBucket: return try createBucket()
        case .deleteBucket: return try deleteBucket()
        case .headBucket: return try headBucket()
        case .getBucketLocation: return try getBucketLocation()
        case .listObjects: return try listObjects(version: 1)
        case .listObjectsV2: return try listObjects(version: 2)
        case .deleteObjects: return try deleteObjects()
        case .putObject(let key):
            log.key = key
            return try putObject(key: key)
        case .copyObject(let key):
            log.key = key
            return try copyObject(key: key)
        case .getObject(let key, let versionID):
            log.key = key
            return try getObject(key: key, versionID: versionID, head: false)
        case .headObject(let key, let versionID):
            log.key = key
            return try getObject(key: key, versionID: versionID, head: true)
        case .deleteObject(let key, let versionID):
            log.key = key
            return try deleteObject(key: key, versionID: versionID)
        case .getBucketVersioning: return try getBucketVersioning()
        case .putBucketVersioning: return try putBucketVersioning()
        case .listObjectVersions: return try listObjectVersions()
        case .listMultipartUploads: return try listMultipartUploads()
        case .createMultipartUpload(let key):
            log.key = key
            return try createMultipartUpload(key: key)
        case .uploadPart(let key, let uploadID):
            log.key = key
            return try uploadPart(key: key, uploadID: uploadID)
        case .uploadPartCopy(let key, let uploadID):
            log.key = key
            return try uploadPartCopy(key: key, uploadID: uploadID)
        case .completeMultipartUpload(let key, let uploadID):
            log.key = key
            return try completeMultipartUpload(key: key, uploadID: uploadID)
        case .abortMultipartUpload(let key, let uploadID):
            log.key = key
            return try abortMultipartUpload(key: key, uploadID: uploadID)
        case .listParts(let key, let uploadID):
            log.key = key
            return try listParts(key: key, uploadID: uploadID)
        case .notImplemented:
            _ = try ownedBucketIfNamed()
            throw S3Error.notImplemented
        }
    }

    /// For not-yet-implemented operations: a missing bucket still answers NoSuchBucket first.
    private func ownedBucketIfNamed() throws(S3Error) -> BucketInfo? {
        bucketName == nil ? nil : try ownedBucket()
    }
}
