import Data
import Metadata

/// Where object records live inside a bucket's namespace, and the data references that let a
/// crash sweep tell live data files from orphans.
///
/// ```
/// namespace "b/<bucket uid>"
///   "M" + key                      → ObjectMD of the latest version (the master), absent when
///                                    the latest version is a delete marker
///   "P" + uploadID + 0x00 + "00042" → PartRecord of an in-progress multipart upload (see
///                                    MultipartCatalog); its data is referenced in "__refs"
///   "U" + key + 0x00 + uploadID    → MultipartUpload in progress (see MultipartCatalog)
///   "V" + key + 0x00 + versionID   → ObjectMD of every version, null versions and delete
///                                    markers included; version IDs sort newest first
/// namespace "__refs"
///   location + 0x00 + dataKey      → empty: this data is referenced by a committed version
/// ```
/// Masters and versions are two separate key ranges, so ListObjects walks masters only and
/// never steps over versions or delete markers, however many there are; ListObjectVersions
/// walks the version range. Every change to a key (its versions, its master, its data
/// references) is one atomic batch, so the master is never out of step with the versions,
/// even after `kill -9`; data is freed only after that batch is durable.
package enum ObjectCatalog {
    package static let refsNamespace = "__refs"
    static let masterTag = UInt8(ascii: "M")
    static let versionTag = UInt8(ascii: "V")

    /// The key of `key`'s master record.
    package static func masterKey(_ key: String) -> [UInt8] {
        var k: [UInt8] = [masterTag]
        k.append(contentsOf: key.utf8)
        return k
    }

    /// The prefix of every version record of `key`.
    package static func versionPrefix(_ key: String) -> [UInt8] {
        var k: [UInt8] = [versionTag]
        k.append(contentsOf: key.utf8)
        k.append(0)
        return k
    }

    /// The key of one version record.
    package static func versionKey(_ key: String, _ versionID: String) -> [UInt8] {
        versionPrefix(key) + Array(versionID.utf8)
    }

    /// The current (master) record of `key`, or nil.
    package static func loadMaster(_ store: any MetadataStore, bucket: BucketInfo, key: String)
        throws(S3Error) -> ObjectMD?
    {
        try load(store, BucketCatalog.objectNamespace(bucket), masterKey(key))
    }

    /// One version of `key` by raw version ID, or nil.
    package static func loadVersion(
        _ store: any MetadataStore, bucket: BucketInfo, key: String, versionID: String
    )
        throws(S3Error) -> ObjectMD?
    {
        try load(store, BucketCatalog.objectNamespace(bucket), versionKey(key, versionID))
    }

    /// What the versioning planner needs to know of `key`.
    package static func loadState(_ store: any MetadataStore, bucket: BucketInfo, key: String)
        throws(S3Error) -> Versioning.KeyState
    {
        let namespace = BucketCatalog.objectNamespace(bucket)
        var newest: [ObjectMD] = []
        do {
            for entry in try store.list(namespace, prefix: versionPrefix(key), limit: 2) {
                newest.append(try Records.decode(ObjectMD.self, entry.value))
            }
        } catch {
            throw S3Error(error)
        }
        var null: ObjectMD?
        if let latest = newest.first {
            if latest.isNull == true {
                null = latest
            } else if let id = latest.nullVersionID {
                null = try load(store, namespace, versionKey(key, id))
            }
        }
        return Versioning.KeyState(newest: newest, nullVersion: null)
    }

    /// The batch that applies `plan` to `key`, and the data to free once it is committed.
    package static func operations(for plan: Versioning.WritePlan, key: String, bucket: BucketInfo)
        throws(S3Error) -> (batch: [MetadataOperation], free: [DataLocation])
    {
        let namespace = BucketCatalog.objectNamespace(bucket)
        var batch: [MetadataOperation] = []
        var free: [DataLocation] = []
        for version in plan.deletes {
            guard let id = version.versionID else { continue }
            batch.append(.delete(namespace: namespace, key: versionKey(key, id)))
            batch += dropRefs(version.locations)
            free += version.locations
        }
        for version in plan.puts {
            guard let id = version.versionID else { continue }
            batch.append(
                .put(namespace: namespace, key: versionKey(key, id), value: Records.encode(version)))
            batch += addRefs(version.locations)
        }
        switch plan.master {
        case .set(let md):
            batch.append(.put(namespace: namespace, key: masterKey(key), value: Records.encode(md)))
        case .remove:
            batch.append(.delete(namespace: namespace, key: masterKey(key)))
        case .keep:
            break
        }
        return (batch, free)
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
