import HTTP

/// Request headers that ask for features this server does not have (ACL grants, tagging,
/// encryption, object lock, website redirects). S3 would honour them; storing the object and
/// dropping the request silently would be a wrong success, so they answer 501 NotImplemented
/// (`x-amz-acl: private`, which asks for the default, is accepted).
enum UnsupportedFeatures {
    /// Header-name prefixes that name an unsupported feature on object writes.
    static let objectWritePrefixes = [
        "x-amz-grant-", "x-amz-server-side-encryption", "x-amz-object-lock-",
        "x-amz-copy-source-server-side-encryption-",
    ]

    /// Exact header names that name an unsupported feature on object writes.
    static let objectWriteNames: Set<String> = ["x-amz-tagging", "x-amz-website-redirect-location"]

    /// Refuses an object write (PutObject, CopyObject, CreateMultipartUpload) that asks for an
    /// unsupported feature.
    /// - Throws: `S3Error.notImplemented` naming the header.
    static func refuseObjectWrite(_ headers: HTTPHeaders) throws(S3Error) {
        for field in headers {
            let name = field.name.lowercased()
            guard name.hasPrefix("x-amz-") else { continue }
            if objectWriteNames.contains(name) || objectWritePrefixes.contains(where: name.hasPrefix) {
                throw notImplemented(name)
            }
            if name == "x-amz-tagging-directive", field.value.uppercased() == "REPLACE" {
                throw notImplemented(name)
            }
        }
        try refuseCannedACL(headers)
    }

    /// Refuses a CreateBucket that asks for ACL grants or object lock.
    /// - Throws: `S3Error.notImplemented` naming the header.
    static func refuseBucketCreation(_ headers: HTTPHeaders) throws(S3Error) {
        for field in headers {
            let name = field.name.lowercased()
            if name.hasPrefix("x-amz-grant-") { throw notImplemented(name) }
            if name == "x-amz-bucket-object-lock-enabled", field.value.lowercased() != "false" {
                throw notImplemented(name)
            }
        }
        try refuseCannedACL(headers)
    }

    /// Only the default canned ACL (`private`) is honoured, by what this server does anyway.
    private static func refuseCannedACL(_ headers: HTTPHeaders) throws(S3Error) {
        if let acl = headers["x-amz-acl"], acl.lowercased() != "private" {
            throw notImplemented("x-amz-acl")
        }
    }

    private static func notImplemented(_ header: String) -> S3Error {
        S3Error.notImplemented.with("Header", header)
    }
}
