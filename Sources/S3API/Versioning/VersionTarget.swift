import Metadata

/// A version named by a request (`?versionId=`, `x-amz-copy-source`'s `versionId`, a
/// DeleteObjects entry, ListObjectVersions' `version-id-marker`): the null version, or a
/// decoded raw ID. Every version-addressing path goes through here and
/// `RequestContext.resolve`.
package enum VersionTarget: Equatable, Sendable {
    case null
    case id(String)

    /// - Parameter argument: the parameter's name in S3's error (`ArgumentName`).
    /// - Throws: `S3Error.invalidArgument`: "Version id cannot be the empty string" for an
    ///   empty value, "Invalid version id specified" for one that is no version ID.
    package init(_ text: String, argument: String = "versionId") throws(S3Error) {
        if text == "null" {
            self = .null
            return
        }
        guard !text.isEmpty else {
            throw S3Error.invalidArgument.with(message: "Version id cannot be the empty string")
                .with("ArgumentName", argument).with("ArgumentValue", text)
        }
        guard let raw = VersionID.decode(text) else {
            throw S3Error.invalidArgument.with(message: "Invalid version id specified")
                .with("ArgumentName", argument).with("ArgumentValue", text)
        }
        self = .id(raw)
    }
}

extension RequestContext {
    /// The stored version `target` names, or nil. The null version is found through the
    /// latest version's `isNull` / `nullVersionId` (docs 7.1.4, "Null Version Mapping").
    func resolve(
        _ target: VersionTarget, key: String, bucket: BucketInfo, state: VersionedKey<ObjectMD>? = nil
    )
        throws(S3Error) -> ObjectMD?
    {
        switch target {
        case .null:
            let known: VersionedKey<ObjectMD>
            if let state {
                known = state
            } else {
                known = try ObjectCatalog.loadKey(store, bucket: bucket, key: key)
            }
            return try ObjectCatalog.nullVersion(store, bucket: bucket, of: known)
        case .id(let raw):
            if let known = state?.version(raw) { return known }
            return try ObjectCatalog.loadVersion(store, bucket: bucket, key: key, versionID: raw)
        }
    }

    /// The record a read addresses: the latest version, or the one `versionID` names.
    /// - Throws: `S3Error.noSuchKey` (with `x-amz-delete-marker` when the latest version is a
    ///   delete marker), `.noSuchVersion`, `.methodNotAllowed` for a delete marker named by
    ///   its version ID (or `deleteMarkerError` when given), `.invalidArgument` for an
    ///   undecodable ID.
    func loadObject(bucket: BucketInfo, key: String, versionID: String?, deleteMarkerError: S3Error? = nil)
        throws(S3Error) -> ObjectMD
    {
        guard let versionID else {
            if let master = try ObjectCatalog.loadMaster(store, bucket: bucket, key: key) { return master }
            var error = S3Error.noSuchKey.with("Key", key)
            if bucket.versioning != nil,
                let latest = try ObjectCatalog.loadKey(store, bucket: bucket, key: key).latest,
                latest.isDeleteMarker == true
            {
                error = error.with(header: S3Header.deleteMarker, "true")
                if let version = Versioning.responseVersion(of: latest, status: bucket.versioning) {
                    error = error.with(header: S3Header.versionID, encode(version))
                }
            }
            throw error
        }
        let target = try VersionTarget(versionID)
        guard let md = try resolve(target, key: key, bucket: bucket) else {
            throw S3Error.noSuchVersion.with("Key", key).with("VersionId", versionID)
        }
        if md.isDeleteMarker == true {
            var error =
                deleteMarkerError
                ?? S3Error.methodNotAllowed.with("Method", request.method).with(
                    "ResourceType", "DeleteMarker")
            error = error.with(header: S3Header.deleteMarker, "true")
                .with(header: "Last-Modified", HTTPDate.rfc1123(milliseconds: md.lastModified))
            if let version = Versioning.responseVersion(of: md, status: bucket.versioning) {
                error = error.with(header: S3Header.versionID, encode(version))
            }
            throw error
        }
        return md
    }
}
