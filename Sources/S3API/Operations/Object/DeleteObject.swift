import HTTP
import Metadata

extension RequestContext {
    /// DeleteObject: without a version ID, a delete marker in a versioned bucket (a null one
    /// when versioning is suspended) or the object itself in a never-versioned one; with a
    /// version ID, that version, permanently. 204 also when nothing was there (S3 answers
    /// deletes of missing keys with success, so that retries are harmless).
    func deleteObject(key: String, versionID: String?) throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        let plan = try removeObject(bucket: bucket, key: key, versionID: versionID)
        var headers = HTTPHeaders()
        addVersionHeaders(plan, to: &headers)
        return .empty(204, headers: headers)
    }

    /// Applies a delete (DeleteObject, one entry of DeleteObjects) and returns its plan.
    /// - Throws: `S3Error.invalidArgument` for an undecodable version ID.
    func removeObject(bucket: BucketInfo, key: String, versionID: String?) throws(S3Error)
        -> Versioning.WritePlan
    {
        let target = try versionID.map { text throws(S3Error) in
            try VersionTarget(text, encoding: service.configuration.versionIDEncoding)
        }
        return try changeKey(key, bucket: bucket) { state throws(S3Error) in
            guard let target else {
                var marker = ObjectMD(
                    key: key, size: 0, eTag: "", lastModified: HTTPDate.nowMilliseconds(),
                    ownerID: account.canonicalID,
                    ownerDisplayName: account.name)
                marker.versionID = VersionID.generate(
                    replicationGroupID: service.configuration.replicationGroupID)
                return Versioning.planDelete(marker, state: state, status: bucket.versioning)
            }
            guard let version = try resolve(target, key: key, bucket: bucket, state: state) else {
                var plan = Versioning.WritePlan()
                plan.responseVersion = target.responseVersion
                return plan
            }
            return Versioning.planDeleteVersion(version, state: state, status: bucket.versioning)
        }
    }
}
