import Metadata

@testable import S3API

/// One bucket's object records, written and read in the notation of the manual's tables:
/// `foo=C@v2 nullVersionId=v1` is the master `foo` holding C whose `versionId` is v2 and
/// `nullVersionId` v1; `foo.v1=B@v1 null` the version key `foo 0x00 v1`, a null version
/// (`isNull`); `DM` stands for a delete marker. Version labels `v1`, `v2`, ... are raw IDs
/// that sort newest first; `nv` is the non-versioned object ID.
struct VersionedShelf {
    static let bucket = BucketInfo(
        name: "shelf", uid: "shelf-uid", ownerCanonicalID: "o", ownerDisplayName: "o", creationDate: 0,
        locationConstraint: "us-east-1")
    static let namespace = BucketCatalog.objectNamespace(bucket)
    static let nonVersioned = VersionID.nonVersioned(replicationGroupID: "RG001")
    let store = MemoryStore()

    init(_ rows: [String]) throws {
        try store.commit(rows.map(Self.operation))
    }

    static func raw(_ label: String) -> String {
        label == "nv" ? nonVersioned : String(900 - Int(label.dropFirst())!)
    }

    static func label(_ raw: String) -> String { raw == nonVersioned ? "nv" : "v\(900 - Int(raw)!)" }

    static func record(_ text: String) -> ObjectMD {
        let words = text.split(separator: " ").map(String.init)
        let parts = words[0].split(separator: "@").map(String.init)
        var md = ObjectMD(
            key: "foo", size: 1, eTag: parts[0], lastModified: 0, ownerID: "o", ownerDisplayName: "o")
        if parts[0] == "DM" {
            md.isDeleteMarker = true
            md.eTag = ""
            md.size = 0
        }
        if parts.count > 1 { md.versionID = raw(parts[1]) }
        for word in words.dropFirst() {
            if word == "null" { md.isNull = true }
            if word.hasPrefix("nullVersionId=") { md.nullVersionID = raw(String(word.dropFirst(14))) }
        }
        return md
    }

    static func text(_ md: ObjectMD) -> String {
        var text = md.isDeleteMarker == true ? "DM" : md.eTag
        if let id = md.versionID { text += "@" + label(id) }
        if md.isNull == true { text += " null" }
        if let id = md.nullVersionID { text += " nullVersionId=" + label(id) }
        return text
    }

    static func operation(_ row: String) -> MetadataOperation {
        let name = String(row[..<row.firstIndex(of: "=")!])
        let md = record(String(row[row.index(after: row.firstIndex(of: "=")!)...]))
        let key =
            name.contains(".")
            ? VersionedLayout.versionKey("foo", raw(String(name.dropFirst(4))))
            : VersionedLayout.masterKey(name)
        return .put(namespace: namespace, key: key, value: md.storedBytes())
    }

    /// Every record, each master then its versions, as the manual's tables show them.
    func rows() throws -> [String] {
        var rows: [(sortKey: [UInt8], text: String)] = []
        try store.scan(Self.namespace, from: [], to: nil) { key, value in
            let md = try ObjectMD(storedBytes: value)
            let rest = Array(key.dropFirst())
            if key.first == VersionedLayout.masterTag {
                rows.append((rest, String(decoding: rest, as: UTF8.self) + "=" + Self.text(md)))
            } else {
                let id = String(decoding: rest[(rest.firstIndex(of: 0)! + 1)...], as: UTF8.self)
                rows.append((rest, "foo." + Self.label(id) + "=" + Self.text(md)))
            }
            return .next
        }
        return rows.sorted { $0.sortKey.lexicographicallyPrecedes($1.sortKey) }.map(\.text)
    }

    /// The key as the API layer loads it.
    func state() throws -> VersionedKey<ObjectMD> {
        try VersionedKey.load(store, namespace: Self.namespace, key: "foo")
    }

    /// Plans and commits `plan` as `RequestContext.changeKey` does; new IDs are `newIDs`.
    func apply(_ plan: Versioning.WritePlan, newIDs: [String]) throws -> Versioning.Outcome {
        var state = try state()
        try state.loadVersions(
            Versioning.versionIDs(named: plan.calls), from: store, namespace: Self.namespace)
        var ids = newIDs.makeIterator()
        let batch = state.plan(plan.calls, namespace: Self.namespace) { Self.raw(ids.next() ?? "v9") }
        try store.commit(ObjectCatalog.operations(for: batch).batch)
        return Versioning.Outcome(plan, batch)
    }

    /// A metadata call in the manual's words.
    static func describe(_ call: MetadataCall<ObjectMD>) -> String {
        switch call {
        case .put(_, .none): "PUT"
        case .put(_, .versioning): "PUT versioning: true"
        case .put(_, .versionID(let id)): id.isEmpty ? "PUT versionId ''" : "PUT versionId " + label(id)
        case .delete(.none): "DELETE"
        case .delete(.versionID(let id)): "DELETE versionId " + label(id)
        }
    }
}
