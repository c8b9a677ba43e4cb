/// Every S3 operation the router can name. Keys are decoded object keys; version IDs are as the
/// client sent them (decoded by the operation, which owns the error for a bad one).
package enum S3Operation: Sendable, Equatable {
    case listBuckets
    case createBucket
    case deleteBucket
    case headBucket
    case getBucketLocation
    case getBucketVersioning
    case putBucketVersioning
    case listObjects
    case listObjectsV2
    case listObjectVersions
    case listMultipartUploads
    case deleteObjects
    case putObject(key: String)
    case copyObject(key: String)
    case getObject(key: String, versionID: String?)
    case headObject(key: String, versionID: String?)
    case deleteObject(key: String, versionID: String?)
    case createMultipartUpload(key: String)
    case uploadPart(key: String, uploadID: String)
    case uploadPartCopy(key: String, uploadID: String)
    case completeMultipartUpload(key: String, uploadID: String)
    case abortMultipartUpload(key: String, uploadID: String)
    case listParts(key: String, uploadID: String)
    /// A sub-resource this server does not implement yet (`acl`, `cors`, `tagging`, ...): 501.
    case notImplemented(String)

    /// The AWS action name, for logs and metrics.
    package var name: String {
        switch self {
        case .listBuckets: "ListBuckets"
        case .createBucket: "CreateBucket"
        case .deleteBucket: "DeleteBucket"
        case .headBucket: "HeadBucket"
        case .getBucketLocation: "GetBucketLocation"
        case .getBucketVersioning: "GetBucketVersioning"
        case .putBucketVersioning: "PutBucketVersioning"
        case .listObjects: "ListObjects"
        case .listObjectsV2: "ListObjectsV2"
        case .listObjectVersions: "ListObjectVersions"
        case .listMultipartUploads: "ListMultipartUploads"
        case .deleteObjects: "DeleteObjects"
        case .putObject: "PutObject"
        case .copyObject: "CopyObject"
        case .getObject: "GetObject"
        case .headObject: "HeadObject"
        case .deleteObject: "DeleteObject"
        case .createMultipartUpload: "CreateMultipartUpload"
        case .uploadPart: "UploadPart"
        case .uploadPartCopy: "UploadPartCopy"
        case .completeMultipartUpload: "CompleteMultipartUpload"
        case .abortMultipartUpload: "AbortMultipartUpload"
        case .listParts: "ListParts"
        case .notImplemented(let sub): "NotImplemented(\(sub))"
        }
    }
}
