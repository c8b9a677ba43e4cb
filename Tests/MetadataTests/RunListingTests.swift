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
