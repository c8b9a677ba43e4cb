/// What the metadata layer knows of an object record (the API layer's `ObjectMD`): the
/// attributes of docs 7.1.4 it reads or sets, and the record's stored bytes.
///
/// The manual's metadata engine evaluates no versioning state ("The metadata backend does not
/// evaluate any information about bucket or version state"); it only sets `versionId` on the
/// versions it creates. This layout asks one thing more, as the original's later key format
/// does: whether a record is a delete marker, because the master range never holds one (see
/// `VersionedLayout`).
package protocol VersionedRecord: Sendable {
    /// `versionId`: the raw ID of the version, set by the metadata layer when it stores one;
    /// nil for an object put before versioning was configured.
    var versionID: String? { get set }
    /// `isDeleteMarker`.
    var isDeleteMarker: Bool? { get }

    /// The stored form.
    func storedBytes() -> [UInt8]
    /// Reads a stored record.
    /// - Throws: `MetadataError.corrupt` when the bytes are not a record.
    init(storedBytes: [UInt8]) throws(MetadataError)
    /// The `versionId` of a stored record, read without decoding the rest (listings read it
    /// for every master they meet); nil when it has none or cannot be read.
    static func storedVersionID(_ bytes: [UInt8]) -> String?
}

extension VersionedRecord {
    /// Whether the record is a delete marker.
    var deleteMarker: Bool { isDeleteMarker == true }
}
