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

    /// The AWS action name, for logs; a not implemented sub-resource is named with it.
    package var name: String {
        if case .notImplemented(let sub) = self { return "NotImplemented(\(sub))" }
        return kind.name
    }

    /// The operation without its arguments, as metrics count it.
    package var kind: Kind {
        switch self {
        case .listBuckets: .listBuckets
        case .createBucket: .createBucket
        case .deleteBucket: .deleteBucket
        case .headBucket: .headBucket
        case .getBucketLocation: .getBucketLocation
        case .getBucketVersioning: .getBucketVersioning
        case .putBucketVersioning: .putBucketVersioning
        case .listObjects: .listObjects
        case .listObjectsV2: .listObjectsV2
        case .listObjectVersions: .listObjectVersions
        case .listMultipartUploads: .listMultipartUploads
        case .deleteObjects: .deleteObjects
        case .putObject: .putObject
        case .copyObject: .copyObject
        case .getObject: .getObject
        case .headObject: .headObject
        case .deleteObject: .deleteObject
        case .createMultipartUpload: .createMultipartUpload
        case .uploadPart: .uploadPart
        case .uploadPartCopy: .uploadPartCopy
        case .completeMultipartUpload: .completeMultipartUpload
        case .abortMultipartUpload: .abortMultipartUpload
        case .listParts: .listParts
        case .notImplemented: .notImplemented
        }
    }

    /// An `S3Operation` without its arguments; `rawValue` indexes per-operation tables.
    package enum Kind: Int, CaseIterable, Sendable {
        case listBuckets, createBucket, deleteBucket, headBucket, getBucketLocation
        case getBucketVersioning, putBucketVersioning, listObjects, listObjectsV2, listObjectVersions
        case listMultipartUploads, deleteObjects, putObject, copyObject, getObject, headObject
        case deleteObject, createMultipartUpload, uploadPart, uploadPartCopy, completeMultipartUpload
        case abortMultipartUpload, listParts, notImplemented

        /// The AWS action name (`NotImplemented` for every sub-resource not built yet).
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
            case .notImplemented: "NotImplemented"
            }
        }
    }
}
