/// Where the records of versioned objects live in a bucket's namespace: the manual's master
/// and version keys (docs 7.1.3), kept in two key ranges as the original's later key format
/// does, so that plain listings never walk versions or delete markers.
///
/// ```
/// namespace "b/<bucket uid>"
///   "M" + key                  → master: the latest version of `key`, absent when that is a
///                                delete marker (the master range never holds one)
///   "V" + key + 0x00 + id      → one version; version IDs sort newest first
///
///   manual (interleaved)            here (two ranges)
///   foo          C (v2)             M foo            C (v2)
///   foo.v2       C                  ...other masters...
///   foo.v1       B (null)           V foo 00 v2      C
///   quz          DM (v9)            V foo 00 v1      B (null)
///   quz.v9       DM                 V quz 00 v9      DM        (no "M quz")
///   quz.v8       A                  V quz 00 v8      A
/// ```
/// Null versions follow the manual: a null version written with `versionId: ''` (versioning
/// suspended) or without options (never configured) lives in the master only, until a
/// versioned PUT copies it to its version key (docs 7.1.4 Case 2, step 3A). The one exception
/// is a null delete marker, which this layout cannot keep as a master: it is stored at its
/// version key and the master is removed. So a master that has no version record of its own
/// is always the key's null version and its latest version.
///
/// Each change to a key is one atomic batch computed by `VersionedBatch`, which repairs the
/// master in the same batch that deletes the version it copied: no placeholder master ever
/// exists, and the master is right even after `kill -9`.
package enum VersionedLayout {
    /// First byte of every master key.
    package static let masterTag = UInt8(ascii: "M")
    /// First byte of every version key.
    package static let versionTag = UInt8(ascii: "V")

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
}
