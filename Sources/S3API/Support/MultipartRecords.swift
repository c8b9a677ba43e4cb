import Data

/// An in-progress multipart upload (JSON), stored at `"U" + key + 0x00 + uploadID`.
///
/// Format version 1. `object` is the record the completed object starts from: content
/// headers, user metadata, storage class and owner as CreateMultipartUpload received them.
package struct MultipartUpload: Codable, Sendable, Equatable {
    /// Record format version.
    package var mdVersion = 1
    package var uploadID: String
    package var key: String
    /// Milliseconds since the epoch.
    package var initiated: Int64
    /// The data location the parts go to (chosen once, so every part lands in one place).
    package var location: String
    /// The completed object's record, without size, ETag or data.
    package var object: ObjectMD
    /// `x-amz-checksum-algorithm` of CreateMultipartUpload: every part carries this checksum.
    package var checksumAlgorithm: String?
    /// `x-amz-checksum-type`: `COMPOSITE` (the default) or `FULL_OBJECT`.
    package var checksumType: String?
    /// The backend's own upload when the location assembles parts itself (aws_s3): parts go
    /// there, and completion and abort are forwarded. Absent in records written before it.
    package var remote: RemoteUpload? = nil
}

/// One uploaded part (JSON), stored at `"P" + uploadID + 0x00 + 5-digit part number`.
///
/// Format version 1. Its data (`location`, nil for an empty part) is referenced in `__refs`
/// from the same batch that writes this record.
package struct PartRecord: Codable, Sendable, Equatable {
    /// Record format version.
    package var mdVersion = 1
    package var partNumber: Int
    package var size: Int64
    /// Hex MD5 of the part, without quotes.
    package var eTag: String
    /// Milliseconds since the epoch.
    package var lastModified: Int64
    package var location: DataLocation?
    /// Base64 checksum of the part with the upload's algorithm, if it has one.
    package var checksum: String?
    /// The remote's ETag of a part of a remote upload (then `location` is nil), sent back in
    /// the completion. Absent in records written before it.
    package var dataStoreETag: String? = nil
}
