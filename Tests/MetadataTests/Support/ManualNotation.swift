import Foundation

@testable import Metadata

/// An object record for the metadata layer's tests: a letter standing for its content, as
/// in the manual's tables (`A`, `B`, ...; `DM` for a delete marker).
struct TestRecord: VersionedRecord, Codable, Equatable {
    var value: String
    var versionID: String?
    var isDeleteMarker: Bool?

    init(_ value: String, versionID: String? = nil) {
        self.value = value
        self.versionID = versionID
        self.isDeleteMarker = value == "DM" ? true : nil
    }

    func storedBytes() -> [UInt8] { Array(try! JSONEncoder().encode(self)) }

    init(storedBytes: [UInt8]) throws(MetadataError) {
        do {
            self = try JSONDecoder().decode(Self.self, from: Data(storedBytes))
        } catch {
            throw .corrupt("not a test record")
        }
    }

    static func storedVersionID(_ bytes: [UInt8]) -> String? {
        (try? Self(storedBytes: bytes))?.versionID
    }
}

/// The manual's notation of version keys: `v1`, `v2`, ... in creation order, and raw IDs
/// that sort newest first (`v2` is "898", `v1` "899").
enum Label {
    static func raw(_ label: String) -> String { String(900 - Int(label.dropFirst())!) }
    static func label(_ raw: String) -> String { "v\(900 - Int(raw)!)" }

    /// Version IDs handed out in the order given, as the metadata layer's generator would.
    static func generator(_ labels: [String]) -> () -> String {
        var next = labels.makeIterator()
        return { raw(next.next() ?? "v9") }
    }
}

/// One bucket namespace written and read in the manual's table notation:
/// `foo=B@v2` is the master `foo` holding B with versionId v2, `foo.v1=A@v1` the version key
/// `foo 0x00 v1`, `foo=A` a master without versionId.
struct Shelf {
    static let namespace = "b/test"
    let store = MemoryStore()

    init(_ rows: [String]) throws {
        try store.commit(rows.map(Self.operation))
    }

    static func operation(_ row: String) -> MetadataOperation {
        let (name, content) = row.split(separator: "=").map(String.init).pair
        let parts = content.split(separator: "@").map(String.init)
        let record = TestRecord(parts[0], versionID: parts.count > 1 ? Label.raw(parts[1]) : nil)
        let key: [UInt8]
        if let dot = name.firstIndex(of: ".") {
            key = VersionedLayout.versionKey(
                String(name[..<dot]), Label.raw(String(name[name.index(after: dot)...])))
        } else {
            key = VersionedLayout.masterKey(name)
        }
        return .put(namespace: namespace, key: key, value: record.storedBytes())
    }

    /// Every record, in the manual's (interleaved) order: each master, then its versions.
    func rows() throws -> [String] {
        var rows: [(sortKey: [UInt8], text: String)] = []
        try store.scan(Self.namespace, from: [], to: nil) { key, value in
            let record = try TestRecord(storedBytes: value)
            let shown = record.value + (record.versionID.map { "@" + Label.label($0) } ?? "")
            let rest = Array(key.dropFirst())
            if key.first == VersionedLayout.masterTag {
                rows.append((rest, String(decoding: rest, as: UTF8.self) + "=" + shown))
            } else {
                let separator = rest.firstIndex(of: 0)!
                let name = String(decoding: rest[..<separator], as: UTF8.self)
                let id = String(decoding: rest[(separator + 1)...], as: UTF8.self)
                rows.append((rest, name + "." + Label.label(id) + "=" + shown))
            }
            return .next
        }
        return rows.sorted { compareBytes($0.sortKey, $1.sortKey) < 0 }.map(\.text)
    }

    /// Plans `calls` on `key` as the metadata layer does, commits the batch, and returns it.
    @discardableResult
    func apply(_ calls: [MetadataCall<TestRecord>], key: String = "foo", newIDs: [String] = [])
        throws -> VersionedBatch<TestRecord>
    {
        var state = try VersionedKey<TestRecord>.load(store, namespace: Self.namespace, key: key)
        let named = calls.compactMap { call -> String? in
            switch call {
            case .put(_, .versionID(let id)) where !id.isEmpty, .delete(.versionID(let id)): id
            default: nil
            }
        }
        try state.loadVersions(named, from: store, namespace: Self.namespace)
        let batch = state.plan(calls, namespace: Self.namespace, newVersionID: Label.generator(newIDs))
        try store.commit(batch.operations)
        return batch
    }
}

extension Array {
    fileprivate var pair: (Element, Element) { (self[0], self[1]) }
}
