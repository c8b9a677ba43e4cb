import Data
import Metadata

/// Where object records live inside a bucket's namespace, and the data references that let a
/// crash sweep tell live data files from orphans.
///
/// ```
/// namespace "b/<bucket uid>"
///   "M" + key                      → master (see VersionedLayout, Metadata)
///   "P" + uploadID + 0x00 + "00042" → PartRecord of an in-progress multipart upload (see
///                                    MultipartCatalog); its data is referenced in "__refs"
///   "U" + key + 0x00 + uploadID    → MultipartUpload in progress (see MultipartCatalog)
///   "V" + key + 0x00 + versionID   → version (see VersionedLayout)
/// namespace "__refs"
///   location + 0x00 + dataKey [+ 0x00 + remote version] → empty: this data is referenced by
///                                    a committed record
/// namespace "__garbage"
///   location + 0x00 + dataKey + 0x00 + remote version → empty: a replaced remote version no
///                                    record refers to, which `DataCollector` deletes
/// ```
/// Every change to a key (its versions, its master, its data references) is one atomic
/// batch, so the master is never out of step with the versions, even after `kill -9`; data
/// is freed only after that batch is durable.
package enum ObjectCatalog {
    package static let refsNamespace = "__refs"
    package static let garbageNamespace = "__garbage"

    /// The current (master) record of `key`, or nil.
    package static func loadMaster(_ store: any MetadataStore, bucket: BucketInfo, key: String)
        throws(S3Error) -> ObjectMD?
    {
        try load(store, BucketCatalog.objectNamespace(bucket), VersionedLayout.masterKey(key))
    }

    /// One version of `key` by raw version ID, or nil.
    package static func loadVersion(
        _ store: any MetadataStore, bucket: BucketInfo, key: String, versionID: String
    )
        throws(S3Error) -> ObjectMD?
    {
        try load(store, BucketCatalog.objectNamespace(bucket), VersionedLayout.versionKey(key, versionID))
    }

    /// What the metadata layer holds for `key`: its master and newest versions.
    package static func loadKey(_ store: any MetadataStore, bucket: BucketInfo, key: String)
        throws(S3Error) -> VersionedKey<ObjectMD>
    {
        do {
            return try VersionedKey.load(store, namespace: BucketCatalog.objectNamespace(bucket), key: key)
        } catch {
            throw S3Error(error)
        }
    }

    /// The null version of `key` (docs 7.1.4, "Null Version Mapping"): the latest version if
    /// it is null, else the version its `nullVersionId` names.
    package static func nullVersion(
        _ store: any MetadataStore, bucket: BucketInfo, of state: VersionedKey<ObjectMD>
    )
        throws(S3Error) -> ObjectMD?
    {
        guard let latest = state.latest else { return nil }
        if latest.isNull == true || latest.versionID == nil { return latest }
        guard let id = latest.nullVersionID else { return nil }
        if let known = state.version(id) { return known }
        return try loadVersion(store, bucket: bucket, key: state.key, versionID: id)
    }

    /// The batch that applies `batch` with its data references, and the data to free once it
    /// is committed: what the replaced records pointed to and no record left points to. Data
    /// that `deferring` accepts moves from `__refs` to `__garbage` in the same batch and is
    /// returned apart, for the collector.
    package static func operations(
        for batch: VersionedBatch<ObjectMD>, deferring: (DataLocation) -> Bool = { _ in false }
    ) -> (
        batch: [MetadataOperation], free: [DataLocation], deferred: [DataLocation]
    ) {
        var kept = Set<[UInt8]>()
        for md in [batch.after.master].compactMap({ $0 }) + batch.after.versions {
            for location in md.locations { kept.insert(refKey(location)) }
        }
        var operations = batch.operations
        var added = Set<[UInt8]>()
        for md in batch.written {
            for location in md.locations where kept.contains(refKey(location)) {
                guard added.insert(refKey(location)).inserted else { continue }
                operations += addRefs([location])
            }
        }
        var free: [DataLocation] = []
        var deferred: [DataLocation] = []
        var dropped = Set<[UInt8]>()
        for md in batch.replaced {
            for location in md.locations {
                let ref = refKey(location)
                guard !kept.contains(ref), dropped.insert(ref).inserted else { continue }
                operations += dropRefs([location])
                if deferring(location) {
                    operations.append(.put(namespace: garbageNamespace, key: ref, value: []))
                    deferred.append(location)
                } else {
                    free.append(location)
                }
            }
        }
        return (operations, free, deferred)
    }

    /// The data a `__garbage` key names (its location, data key and remote version); nil for a
    /// key of another shape.
    package static func garbageLocation(_ key: [UInt8]) -> DataLocation? {
        guard let first = key.firstIndex(of: 0), let last = key.lastIndex(of: 0), first < last else {
            return nil
        }
        return DataLocation(
            location: String(decoding: key[..<first], as: UTF8.self),
            key: String(decoding: key[(first + 1)..<last], as: UTF8.self), size: 0,
            dataStoreVersionID: String(decoding: key[(last + 1)...], as: UTF8.self))
    }

    /// The reference key of a data location: its location and key, and the remote version it
    /// names, if any (an overwrite at a versioned remote reuses the key with a new version, and
    /// only the old version is garbage; at an unversioned remote the same key stays referenced).
    package static func refKey(_ location: DataLocation) -> [UInt8] {
        var k = Array(location.location.utf8)
        k.append(0)
        k.append(contentsOf: location.key.utf8)
        if let version = location.dataStoreVersionID {
            k.append(0)
            k.append(contentsOf: version.utf8)
        }
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
    package static func isReferenced(_ store: any MetadataStore, location: String, key: String) throws -> Bool
    {
        try store.get(refsNamespace, refKey(DataLocation(location: location, key: key, size: 0))) != nil
    }

    private static func load(_ store: any MetadataStore, _ namespace: String, _ key: [UInt8]) throws(S3Error)
        -> ObjectMD?
    {
        let value: [UInt8]?
        do {
            value = try store.get(namespace, key)
        } catch {
            throw S3Error(error)
        }
        guard let value else { return nil }
        return try Records.decode(ObjectMD.self, value)
    }
}
