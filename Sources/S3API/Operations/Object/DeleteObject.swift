import HTTP
import Metadata

extension RequestContext {
    /// DeleteObject: without a version ID, a delete marker in a versioned bucket (a null one
    /// when versioning is suspended) or the object itself in a never-versioned one; with a
    /// version ID, that version, permanently. 204 also when nothing was there (S3 answers
    /// deletes of missing keys with success, so that retries are harmless).
    func deleteObject(key: String, versionID: String?) throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        let outcome = try removeObject(bucket: bucket, key: key, versionID: versionID)
        var headers = HTTPHeaders()
        addVersionHeaders(outcome, to: &headers)
        return .empty(204, headers: headers)
    }

    /// Applies a delete (DeleteObject, one entry of DeleteObjects) and returns what it did.
    /// - Throws: `S3Error.invalidArgument` for an empty or undecodable version ID.
    func removeObject(bucket: BucketInfo, key: String, versionID: String?) throws(S3Error)
        -> Versioning.Outcome
    {
        let target = try versionID.map { text throws(S3Error) in try VersionTarget(text) }
        return try changeKey(key, bucket: bucket) { state throws(S3Error) in
            guard let target else {
                let marker = ObjectMD(
                    key: key, size: 0, eTag: "", lastModified: HTTPDate.nowMilliseconds(),
                    ownerID: account.canonicalID,
                    ownerDisplayName: account.name)
                return Versioning.planDelete(
                    marker, latest: state.latest, status: bucket.versioning,
                    nonVersionedID: VersionID.nonVersioned(
                        replicationGroupID: service.configuration.replicationGroupID))
            }
            guard let version = try resolve(target, key: key, bucket: bucket, state: state) else {
                var plan = Versioning.WritePlan()
                switch target {
                case .null: plan.answer = .null
                case .id(let raw): plan.answer = .id(raw)
                }
                return plan
            }
            return Versioning.planDeleteVersion(version)
        }
    }
}
