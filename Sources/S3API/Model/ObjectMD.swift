import Data

/// An object's (or an object version's) record in its bucket's namespace (JSON).
///
/// Fields follow the original's ObjectMD where they apply; the versioning attributes are
/// stored under the names docs section 7.1.4 gives them: `versionId`, `isNull`,
/// `nullVersionId`, `isDeleteMarker`.
///
/// Format versions (`mdVersion`):
/// - 1: the versioning attributes were spelled `versionID` and `nullVersionID`;
/// - 2: the manual's spelling. Records of format 1 read as format 2 (`ObjectMD(json:)`).
package struct ObjectMD: Codable, Sendable, Equatable {
    /// The format this code writes.
    package static let formatVersion = 2

    /// Record format version.
    package var mdVersion = ObjectMD.formatVersion
    package var key: String
    package var size: Int64
    /// Hex MD5 of the body, or `md5-of-part-md5s-N` for multipart objects (no quotes).
    package var eTag: String
    /// Milliseconds since the epoch.
    package var lastModified: Int64
    package var ownerID: String
    package var ownerDisplayName: String
    package var contentType: String?
    package var contentEncoding: String?
    package var contentDisposition: String?
    package var contentLanguage: String?
    package var cacheControl: String?
    package var expires: String?
    /// `x-amz-meta-*` headers, names lower-cased without the prefix, in the order sent.
    package var userMetadata: [UserMetadata]
    package var storageClass: String
    package var checksum: Checksum?
    /// Where the bytes are, in object order.
    package var locations: [DataLocation]
    /// Parts of a multipart object: their sizes, for `?partNumber=` reads.
    package var partSizes: [Int64]?
    /// The upload a multipart object was completed from: a retried Complete of it answers the
    /// same result instead of NoSuchUpload.
    package var uploadID: String?
    /// `versionId` (docs 7.1.4): the raw ID of this version, set by the metadata layer; nil
    /// for an object put before its bucket's versioning was configured.
    package var versionID: String?
    /// `isNull`: this is the key's null version.
    package var isNull: Bool?
    /// `nullVersionId`: the raw ID of the null version that existed when this version was
    /// stored, found again through it (docs 7.1.4, "Null Version Mapping").
    package var nullVersionID: String?
    /// `isDeleteMarker`.
    package var isDeleteMarker: Bool?

    /// The stored names (Codable writes what `jsonBytes()` writes).
    enum CodingKeys: String, CodingKey {
        case mdVersion, key, size, eTag, lastModified, ownerID, ownerDisplayName, contentType
        case contentEncoding, contentDisposition, contentLanguage, cacheControl, expires
        case userMetadata, storageClass, checksum, locations, partSizes, uploadID
        case versionID = "versionId"
        case isNull
        case nullVersionID = "nullVersionId"
        case isDeleteMarker
    }

    package init(
        key: String, size: Int64, eTag: String, lastModified: Int64, ownerID: String,
        ownerDisplayName: String
    ) {
        self.key = key
        self.size = size
        self.eTag = eTag
        self.lastModified = lastModified
        self.ownerID = ownerID
        self.ownerDisplayName = ownerDisplayName
        self.userMetadata = []
        self.storageClass = "STANDARD"
        self.locations = []
    }
}

/// One `x-amz-meta-*` header.
package struct UserMetadata: Codable, Sendable, Equatable {
    package var name: String
    package var value: String
    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// An additional checksum stored with the object (`x-amz-checksum-*`).
package struct Checksum: Codable, Sendable, Equatable {
    /// `CRC32`, `CRC32C`, `SHA1`, `SHA256` or `CRC64NVME`.
    package var algorithm: String
    /// Base64 of the digest, as the client sent and receives it.
    package var value: String
    /// `FULL_OBJECT` or `COMPOSITE`.
    package var type: String
}
