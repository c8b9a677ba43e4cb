import Metadata

/// The metadata layer's view of an object record: stored bytes and `versionId`.
extension ObjectMD: VersionedRecord {
    package func storedBytes() -> [UInt8] { jsonBytes() }

    package init(storedBytes: [UInt8]) throws(MetadataError) {
        do {
            try self.init(json: storedBytes)
        } catch {
            throw .corrupt("an object record could not be decoded")
        }
    }

    /// Reads the top-level `versionId` (or format 1's `versionID`) and skips the rest.
    package static func storedVersionID(_ bytes: [UInt8]) -> String? {
        var reader = JSONReader(bytes)
        var id: String?
        do {
            try reader.object { r, name throws(JSONReader.Failure) in
                switch name {
                case "versionId", "versionID": id = try r.optionalString()
                default: try r.skip()
                }
            }
        } catch {
            return nil
        }
        return id
    }
}
