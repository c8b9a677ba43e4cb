/// A bucket's record in the `__buckets` namespace (JSON).
///
/// Format version 1. Fields added later are optional so that older records decode.
package struct BucketInfo: Codable, Sendable, Equatable {
    /// Record format version.
    package var mdVersion = 1
    package var name: String
    /// Unique per creation: the bucket's objects live in a namespace named after it, so a
    /// bucket deleted and created again never sees the old one's records.
    package var uid: String
    package var ownerCanonicalID: String
    package var ownerDisplayName: String
    /// Milliseconds since the epoch.
    package var creationDate: Int64
    /// The location holding the bucket's data (a `locationConfig.json` name).
    package var locationConstraint: String
    /// `Enabled`, `Suspended`, or nil for a bucket whose versioning was never configured.
    package var versioning: VersioningStatus?

    package init(
        name: String, uid: String, ownerCanonicalID: String, ownerDisplayName: String, creationDate: Int64,
        locationConstraint: String
    ) {
        self.name = name
        self.uid = uid
        self.ownerCanonicalID = ownerCanonicalID
        self.ownerDisplayName = ownerDisplayName
        self.creationDate = creationDate
        self.locationConstraint = locationConstraint
    }
}

/// A bucket's versioning state as S3 names it.
package enum VersioningStatus: String, Codable, Sendable {
    case enabled = "Enabled"
    case suspended = "Suspended"
}
