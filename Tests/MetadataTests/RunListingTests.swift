import Foundation
import Synchronization
import Testing

@testable import Metadata

/// `runListing` drives a filter over a store: key prefixes, start keys, and skips.
@Suite("runListing")
struct RunListingTests {
    @Test(
        "a root listing of 100k keys in 10 folders visits a handful of entries", arguments: StoreKind.allCases
    )
    func costFollowsThePage(kind: StoreKind) throws {
        let store = CountingStore(try kind.make())
        for folder in 0..<10 {
            try store.commit(
                (0..<10_000).map { file in
                    .put(
                        namespace: "bucket", key: [0x01] + b("folder\(folder)/object\(file)"), value: b("md"))
                })
        }
        try store.put("bucket", [0x01] + b("top"), b("md"))
        try store.put("bucket", [0x00] + b("other"), [])
        try store.put("bucket", [0x02] + b("versions"), [])

        var filter = Delimiter(delimiter: b("/"))
        try runListing(store, namespace: "bucket", keyPrefix: [0x01], filter: &filter)
        let result = filter.result()
        #expect(result.commonPrefixes.count == 10)
        #expect(result.commonPrefixes.first == b("folder0/"))
        #expect(result.contents == [ListingEntry(key: b("top"), value: b("md"))])
        #expect(!result.isTruncated)
        #expect(store.visits.load(ordering: .relaxed) == 11)

        store.visits.store(0, ordering: .relaxed)
        var page = Delimiter(prefix: b("folder7/"), marker: b("folder7/object5000"), maxKeys: 3)
        try runListing(store, namespace: "bucket", keyPrefix: [0x01], filter: &page)
        #expect(
            page.result().contents.map(\.key) == [
                b("folder7/object5001"), b("folder7/object5002"), b("folder7/object5003"),
            ])
        #expect(page.result().isTruncated)
        #expect(store.visits.load(ordering: .relaxed) == 4)
    }

    @Test("entries outside the key prefix are never seen", arguments: StoreKind.allCases)
    func keyPrefixBounds(kind: StoreKind) throws {
        let store = try kind.make()
        try store.put("bucket", [0x00, 0xFF], [])
        try store.put("bucket", [0x01], b("empty object key"))
        try store.put("bucket", [0x01, 0xFF, 0xFF], [])
        try store.put("bucket", [0x02], [])
        var filter = Delimiter()
        try runListing(store, namespace: "bucket", keyPrefix: [0x01], filter: &filter)
        #expect(filter.result().contents.map(\.key) == [[], [0xFF, 0xFF]])
    }
}

/// `runListing(keyPrefixes:)`: two key ranges read as one, the manual's interleaved layout.
@Suite("runListing over merged ranges")
struct MergedListingTests {
    /// Masters under "M", versions under "V", as `VersionedLayout` keeps them.
    static func fill(_ store: any MetadataStore, keys: Int, versions: Int) throws {
        var batch: [MetadataOperation] = []
        for k in 0..<keys {
            let key = String(format: "k%04d", k)
            let newest = "101"  // IDs sort newest first
            batch.append(
                .put(
                    namespace: "bucket", key: VersionedLayout.masterKey(key),
                    value: TestRecord(key, versionID: newest).storedBytes()))
            for v in 0..<versions {
                let id = String(101 + v)
                batch.append(
                    .put(
                        namespace: "bucket", key: VersionedLayout.versionKey(key, id),
                        value: TestRecord(key, versionID: id).storedBytes()))
            }
        }
        try store.commit(batch)
    }

    @Test(
        "every version comes once, in key then version order, whatever the chunking",
        arguments: StoreKind.allCases)
    func wholeListing(kind: StoreKind) throws {
        let store = try kind.make()
        try Self.fill(store, keys: 300, versions: 3)
        try store.put("bucket", [UInt8(ascii: "P")] + b("k0001"), [])  // a range in between, never read
        var filter = DelimiterVersions<TestRecord>()
        try runListing(
            store, namespace: "bucket",
            keyPrefixes: [[VersionedLayout.masterTag], [VersionedLayout.versionTag]],
            filter: &filter)
        let page = filter.result()
        #expect(page.versions.count == 900)
        #expect(!page.isTruncated)
        let listed = page.versions.map {
            String(decoding: $0.key, as: UTF8.self) + "@" + String(decoding: $0.versionID, as: UTF8.self)
        }
        let expected = (0..<300).flatMap { k in
            (0..<3).map { v in String(format: "k%04d", k) + "@\(101 + v)" }
        }
        #expect(listed.count == 900)
        #expect(
            listed == expected,
            "first difference: \(zip(listed, expected).first { $0 != $1 }.map { "\($0)" } ?? "none")")
    }

    @Test(
        "a skip moves every range: a delimiter page reads a handful of entries", arguments: StoreKind.allCases
    )
    func skipsBothRanges(kind: StoreKind) throws {
        let store = CountingStore(try kind.make())
        var batch: [MetadataOperation] = []
        for folder in 0..<5 {
            for file in 0..<2000 {
                let key = "f\(folder)/o\(file)"
                batch.append(
                    .put(
                        namespace: "bucket", key: VersionedLayout.masterKey(key),
                        value: TestRecord("x", versionID: "1").storedBytes()))
                batch.append(
                    .put(
                        namespace: "bucket", key: VersionedLayout.versionKey(key, "1"),
                        value: TestRecord("x", versionID: "1").storedBytes()))
            }
        }
        try store.commit(batch)
        var filter = DelimiterVersions<TestRecord>(delimiter: b("/"))
        try runListing(
            store, namespace: "bucket",
            keyPrefixes: [[VersionedLayout.masterTag], [VersionedLayout.versionTag]],
            filter: &filter)
        #expect(
            filter.result().commonPrefixes.map { String(decoding: $0, as: UTF8.self) } == [
                "f0/", "f1/", "f2/", "f3/", "f4/",
            ])
        #expect(store.visits.load(ordering: .relaxed) < 200)
    }
}

/// Forwards to a store and counts the entries its scans visit.
final class CountingStore: MetadataStore {
    let base: any MetadataStore
    let visits = Atomic<Int>(0)

    init(_ base: any MetadataStore) { self.base = base }

    func get(_ namespace: String, _ key: [UInt8]) throws(MetadataError) -> [UInt8]? {
        try base.get(namespace, key)
    }

    func commit(_ batch: [MetadataOperation]) throws(MetadataError) { try base.commit(batch) }

    func scan(
        _ namespace: String, from start: [UInt8], to end: [UInt8]?,
        _ visit: (_ key: [UInt8], _ value: [UInt8]) throws -> ScanStep
    ) throws {
        try base.scan(namespace, from: start, to: end) { key, value in
            visits.add(1, ordering: .relaxed)
            return try visit(key, value)
        }
    }

    func dropNamespace(_ namespace: String) throws(MetadataError) { try base.dropNamespace(namespace) }
}
