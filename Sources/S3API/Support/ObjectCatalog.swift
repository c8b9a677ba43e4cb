import Data
import Metadata

/// Where object records live inside a bucket's namespace, and the data references that let a
/// crash sweep tell live data files from orphans.
///
/// ```
/// namespace "b/<bucket uid>"
///   "M" + key                     → ObjectMD of the current version (master)
/// namespace "__refs"
///   location + 0x00 + dataKey      → empty: this data is referenced by committed metadata
/// ```
/// A write commits its new master and new references in one batch, removes the old ones in
/// the same batch, and frees old data only after that batch is durable.
package enum ObjectCatalog {
    package static let refsNamespace = "__refs"
    static let masterTag = UInt8(ascii: "M")

    /// The key of `key`'s master record.
    package static func masterKey(_ key: String) -> [UInt8] {
        var k: [UInt8] = [masterTag]
        k.append(contentsOf: key.utf8)
        return k
    }

    /// The current record of `key`, or nil.
    package static func loadMaster(_ store: any MetadataStore, bucket: BucketInfo, key: String)
        throws(S3Error)
        -> ObjectMD?
    {
        let value: [UInt8]?
        do {
            value = try store.get(BucketCatalog.objectNamespace(bucket), masterKey(key))
        } catch {
            throw S3Error(error)
        }
        guard let value else { return nil }
        return try Records.decode(ObjectMD.self, value)
    }

    /// The reference key of a data location.
    package static func refKey(_ location: DataLocation) -> [UInt8] {
        var k = Array(location.location.utf8)
        k.append(0)
        k.append(contentsOf: location.key.utf8)
        return k
    }

    /// Operations that record `locations` as referenced.
    package static func addRefs(_ locations: [DataLocation]) -> [MetadataOperation] {
        locations.map { .put(namespace: refsNamespace, key: refKey($0), value: []) }
    }

    /// Operations that drop the references of `locations`.
    package static func dropRefs(_ locations: [DataLocation]) -> [MetadataOperation] {
        locations.map { .delete(namespace: refsNamespace, key: refKey($0)) }
    }

    /// Whether the data at `key` in `location` is referenced by committed metadata.
    package static func isReferenced(_ store: any MetadataStore, location: String, key: String) throws -> Bool {
        try store.get(refsNamespace, refKey(DataLocation(location: location, key: key, size: 0))) != nil
    }
}
