/// ListObjectVersions over the manual's interleaved layout: master keys `objectKey` and
/// version keys `objectKey 0x00 versionID` in one key order (`runListing(keyPrefixes:)` merges
/// the two ranges of `VersionedLayout`).
///
/// Version IDs sort newest first, so the entries of one object come newest to oldest. A
/// master that copies the key's newest version (the version record that follows it has its
/// `versionId`) is passed over; a master without its own version record is the key's null
/// version, newer than every version record, and is listed first with its `versionId`
/// (empty when it has none: an object put before versioning was configured). The filter
/// follows S3's ListObjectVersions:
/// - `prefix` and `delimiter` apply to the object key, as in `Delimiter`; a common prefix
///   counts once toward `maxKeys`, each version (or delete marker) counts one;
/// - `keyMarker` alone starts after every version of that key; with `versionIDMarker` it
///   starts after that version of that key (the API layer refuses a version-id-marker without
///   a key-marker, and maps `null` to the stored ID of the null version);
/// - when truncated, `nextKeyMarker`/`nextVersionIDMarker` name the last version returned
///   (only `nextKeyMarker`, the prefix, when a common prefix came last): the next page passes
///   them back as key-marker and version-id-marker.
/// Object keys never hold a 0x00 byte (S3 keys are XML text), so the first 0x00 of a stored
/// key ends the object key. Whether a version is the latest or a delete marker is in its
/// value, for the API layer to read.
package struct DelimiterVersions<Record: VersionedRecord>: ListingFilter {
    package let prefix: [UInt8]
    package let delimiter: [UInt8]?
    package let keyMarker: [UInt8]?
    package let versionIDMarker: [UInt8]?
    package let maxKeys: Int
    package let startKey: [UInt8]

    private var page = VersionListingResult()
    private var returned = 0
    /// The last object key or common prefix returned; starts as the prefix holding the marker.
    private var last: [UInt8]?
    private var lastVersionID: [UInt8]?
    /// The master just met: listed when the next entry is not its own version record.
    private var pendingMaster: VersionEntry?

    /// - Parameters:
    ///   - prefix: `prefix` (empty: every key).
    ///   - delimiter: `delimiter`; nil or empty means none.
    ///   - keyMarker: `key-marker`.
    ///   - versionIDMarker: `version-id-marker`, as stored; ignored without `keyMarker`.
    ///   - maxKeys: `max-keys`, already clamped by the caller to 0...1000.
    package init(
        prefix: [UInt8] = [], delimiter: [UInt8]? = nil, keyMarker: [UInt8]? = nil,
        versionIDMarker: [UInt8]? = nil, maxKeys: Int = 1000
    ) {
        self.prefix = prefix
        self.delimiter = delimiter?.isEmpty == false ? delimiter : nil
        self.keyMarker = keyMarker?.isEmpty == false ? keyMarker : nil
        self.versionIDMarker =
            self.keyMarker != nil && versionIDMarker?.isEmpty == false ? versionIDMarker : nil
        self.maxKeys = max(maxKeys, 0)
        var start = prefix
        if let marker = self.keyMarker {
            // After one version: just past `marker 0x00 id`; after every version of the key:
            // `marker 0x01`, the first key above all of `marker 0x00 ...`.
            let afterMarker = self.versionIDMarker.map { marker + [0] + $0 + [0] } ?? marker + [1]
            if compareBytes(afterMarker, start) > 0 { start = afterMarker }
            if let delimiter = self.delimiter, marker.hasBytePrefix(prefix),
                let index = marker.firstIndex(of: delimiter, from: prefix.count)
            {
                last = Array(marker[..<(index + delimiter.count)])
            }
        }
        self.startKey = start
    }

    package var endKey: [UInt8]? { prefixEnd(prefix) }

    package mutating func consider(key: [UInt8], value: [UInt8]) -> FilterDecision {
        if maxKeys == 0 { return .end }
        if compareBytes(key, startKey) < 0 { return .skip(to: startKey) }
        let separator = key.firstIndex(of: 0)
        let objectKey = separator.map { Array(key[..<$0]) } ?? key
        let versionID = separator.map { Array(key[($0 + 1)...]) }
        if let master = pendingMaster {
            pendingMaster = nil
            if master.key != objectKey || master.versionID != versionID {
                guard list(master) else { return .end }
            }
        }
        if !objectKey.hasBytePrefix(prefix) { return .end }
        if let delimiter, let index = objectKey.firstIndex(of: delimiter, from: prefix.count) {
            let commonPrefix = Array(objectKey[..<(index + delimiter.count)])
            if commonPrefix != last {
                guard take() else { return .end }
                page.commonPrefixes.append(commonPrefix)
                last = commonPrefix
                lastVersionID = nil
            }
            return prefixEnd(commonPrefix).map { .skip(to: $0) } ?? .end
        }
        guard let versionID else {
            let id = Record.storedVersionID(value) ?? ""
            pendingMaster = VersionEntry(key: objectKey, versionID: Array(id.utf8), value: value)
            return .accept
        }
        return list(VersionEntry(key: objectKey, versionID: versionID, value: value)) ? .accept : .end
    }

    package func result() -> VersionListingResult {
        var filter = self
        if let master = filter.pendingMaster { _ = filter.list(master) }
        var result = filter.page
        if result.isTruncated {
            result.nextKeyMarker = filter.last
            result.nextVersionIDMarker = filter.lastVersionID
        }
        return result
    }

    /// Lists one version; false (and truncated) once the page is full.
    private mutating func list(_ entry: VersionEntry) -> Bool {
        guard take() else { return false }
        page.versions.append(entry)
        last = entry.key
        lastVersionID = entry.versionID
        return true
    }

    /// Counts one more version or prefix; false (and truncated) once the page is full.
    private mutating func take() -> Bool {
        if returned >= maxKeys {
            page.isTruncated = true
            return false
        }
        returned += 1
        return true
    }
}

/// One version (or delete marker) of a ListObjectVersions page.
package struct VersionEntry: Sendable, Equatable {
    package var key: [UInt8]
    /// The version ID as stored (the API layer encodes it for clients).
    package var versionID: [UInt8]
    package var value: [UInt8]

    package init(key: [UInt8], versionID: [UInt8], value: [UInt8]) {
        self.key = key
        self.versionID = versionID
        self.value = value
    }
}

/// A page of ListObjectVersions, in S3's terms.
package struct VersionListingResult: Sendable, Equatable {
    /// `Version` and `DeleteMarker` entries together, in key order then newest first.
    package var versions: [VersionEntry] = []
    /// `CommonPrefixes`, as in ListObjects.
    package var commonPrefixes: [[UInt8]] = []
    /// `IsTruncated`.
    package var isTruncated = false
    /// `NextKeyMarker` when truncated: the last key (or common prefix) returned.
    package var nextKeyMarker: [UInt8]?
    /// `NextVersionIdMarker` when truncated and a version came last: its stored ID.
    package var nextVersionIDMarker: [UInt8]?

    package init() {}
}
