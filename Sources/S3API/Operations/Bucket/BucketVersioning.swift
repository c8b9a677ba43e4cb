import HTTP
import Metadata

extension RequestContext {
    /// GetBucketVersioning: `Enabled` or `Suspended`; an empty configuration for a bucket whose
    /// versioning was never set.
    func getBucketVersioning() throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        var xml = XMLWriter()
        xml.element("VersioningConfiguration", xmlns: true) { x in
            if let status = bucket.versioning { x.element("Status", status.rawValue) }
        }
        return .xml(xml)
    }

    /// PutBucketVersioning: `<Status>Enabled|Suspended</Status>`. MFA Delete is not supported.
    /// - Throws: `S3Error.malformedXML`, `.illegalVersioningConfiguration`, `.notImplemented`.
    func putBucketVersioning() throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        let root = try XMLElement.parse(try readSmallBody())
        guard root.name == "VersioningConfiguration" else { throw .malformedXML }
        if let mfa = root.child("MfaDelete")?.text, mfa != "Disabled" {
            guard mfa == "Enabled" else { throw .illegalVersioningConfiguration }
            throw S3Error.notImplemented.with(message: "MFA Delete is not supported.")
        }
        guard let text = root.child("Status")?.text else {
            if root.child("MfaDelete") != nil { return .empty() }
            throw .illegalVersioningConfiguration
        }
        guard let status = VersioningStatus(rawValue: text) else { throw .illegalVersioningConfiguration }
        try service.locks.withLock(bucket: "", key: bucket.name) { () throws(S3Error) in
            guard var current = try service.buckets.load(bucket.name), current.uid == bucket.uid else {
                throw S3Error.noSuchBucket
            }
            current.versioning = status
            try service.buckets.save(current)
        }
        return .empty()
    }
}
