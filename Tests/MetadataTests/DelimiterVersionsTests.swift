import Testing

@testable import Metadata

/// ListObjectVersions behaviour of `DelimiterVersions`, fed from arrays of version keys.
@Suite("DelimiterVersions")
struct DelimiterVersionsTests {
    /// (object key, version ID) pairs; IDs sort newest first.
    static let versions: [(String, String)] = [
        ("a", "1"), ("a", "2"), ("a", "3"), ("b/x", "1"), ("b/x", "2"), ("b/y", "1"), ("c", "1"),
    ]
    static let keys = versions.map { b($0.0) + [0] + b($0.1) }

    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var prefix = ""
        var delimiter: String?
        var keyMarker: String?
        var versionIDMarker: String?
        var maxKeys = 1000
        var versions: [String]
        var prefixes: [String] = []
        var next: String?
        var nextVersion: String?
    }

    static let cases: [Case] = [
        Case(
            testDescription: "every version of every key, newest first within a key",
            versions: ["a@1", "a@2", "a@3", "b/x@1", "b/x@2", "b/y@1", "c@1"]),
        Case(
            testDescription: "a delimiter rolls versions up into common prefixes", delimiter: "/",
            versions: ["a@1", "a@2", "a@3", "c@1"], prefixes: ["b/"]),
        Case(
            testDescription: "a prefix limits the keys", prefix: "b/", versions: ["b/x@1", "b/x@2", "b/y@1"]),
        Case(
            testDescription: "a truncated page names its last version", maxKeys: 2, versions: ["a@1", "a@2"],
            next: "a", nextVersion: "2"),
        Case(
            testDescription: "a key marker alone starts after every version of that key", keyMarker: "a",
            versions: ["b/x@1", "b/x@2", "b/y@1", "c@1"]),
        Case(
            testDescription: "a key and version marker start after that version", keyMarker: "b/x",
            versionIDMarker: "1", versions: ["b/x@2", "b/y@1", "c@1"]),
        Case(
            testDescription: "a key marker inside a common prefix does not list it again", delimiter: "/",
            keyMarker: "b/x", versions: ["c@1"]),
        Case(
            testDescription: "a common prefix last leaves no version marker", delimiter: "/", maxKeys: 4,
            versions: ["a@1", "a@2", "a@3"], prefixes: ["b/"], next: "b/"),
        Case(
            testDescription: "max-keys 0 gives an empty page that is not truncated", maxKeys: 0, versions: []),
    ]

    @Test("ListObjectVersions pages", arguments: cases)
    func page(_ test: Case) {
        var filter = DelimiterVersions<TestRecord>(
            prefix: b(test.prefix), delimiter: test.delimiter.map(b), keyMarker: test.keyMarker.map(b),
            versionIDMarker: test.versionIDMarker.map(b), maxKeys: test.maxKeys)
        feed(&filter, Self.keys)
        let result = filter.result()
        #expect(result.versions.map { text($0.key) + "@" + text($0.versionID) } == test.versions)
        #expect(result.versions.allSatisfy { $0.value == b("v:") + $0.key + [0] + $0.versionID })
        #expect(result.commonPrefixes.map(text) == test.prefixes)
        #expect(result.isTruncated == (test.next != nil))
        #expect(result.nextKeyMarker.map(text) == test.next)
        #expect(result.nextVersionIDMarker.map(text) == test.nextVersion)
    }

    @Test("pages chained by their markers add up to the whole listing", arguments: [1, 2, 3, 5])
    func pagination(maxKeys: Int) {
        for delimiter in [nil, "/"] as [String?] {
            var whole = DelimiterVersions<TestRecord>(delimiter: delimiter.map(b))
            feed(&whole, Self.keys)
            var versions: [VersionEntry] = []
            var prefixes: [[UInt8]] = []
            var keyMarker: [UInt8]?
            var versionIDMarker: [UInt8]?
            for _ in 0..<50 {
                var filter = DelimiterVersions<TestRecord>(
                    delimiter: delimiter.map(b), keyMarker: keyMarker, versionIDMarker: versionIDMarker,
                    maxKeys: maxKeys)
                feed(&filter, Self.keys)
                let page = filter.result()
                versions += page.versions
                prefixes += page.commonPrefixes
                guard page.isTruncated else { break }
                keyMarker = page.nextKeyMarker
                versionIDMarker = page.nextVersionIDMarker
            }
            #expect(versions == whole.result().versions)
            #expect(prefixes == whole.result().commonPrefixes)
        }
    }

    /// The manual's interleaved layout, as `runListing(keyPrefixes:)` merges the master and
    /// version ranges: `a` copies its newest version; `n` is a null version stored in the
    /// master alone (versionId 0, newer than its version 1); `p` was put before versioning
    /// (no versionId, no version); `z`'s latest is a delete marker (no master).
    static let interleaved: [(key: [UInt8], value: [UInt8])] = [
        (b("a"), TestRecord("A1", versionID: "1").storedBytes()),
        (b("a") + [0] + b("1"), TestRecord("A1", versionID: "1").storedBytes()),
        (b("a") + [0] + b("2"), TestRecord("A2", versionID: "2").storedBytes()),
        (b("n"), TestRecord("N", versionID: "0").storedBytes()),
        (b("n") + [0] + b("1"), TestRecord("N1", versionID: "1").storedBytes()),
        (b("p"), TestRecord("P").storedBytes()),
        (b("z") + [0] + b("1"), TestRecord("DM", versionID: "1").storedBytes()),
        (b("z") + [0] + b("2"), TestRecord("Z2", versionID: "2").storedBytes()),
    ]

    @Test("a master copying its newest version is listed once; a master alone is listed first as a version")
    func masters() throws {
        var filter = DelimiterVersions<TestRecord>()
        feed(&filter, entries: Self.interleaved)
        let page = filter.result()
        #expect(
            page.versions.map { text($0.key) + "@" + text($0.versionID) } == [
                "a@1", "a@2", "n@0", "n@1", "p@", "z@1", "z@2",
            ])
        let values = try page.versions.map { try TestRecord(storedBytes: $0.value).value }
        #expect(values == ["A1", "A2", "N", "N1", "P", "DM", "Z2"])
    }

    @Test("a page that ends on a master alone is truncated and names it", arguments: [3, 5])
    func pageEndsOnMaster(maxKeys: Int) {
        var filter = DelimiterVersions<TestRecord>(maxKeys: maxKeys)
        feed(&filter, entries: Self.interleaved)
        let page = filter.result()
        #expect(page.isTruncated)
        #expect(page.versions.count == maxKeys)
        #expect(page.nextKeyMarker == page.versions.last?.key)
        #expect(page.nextVersionIDMarker == page.versions.last?.versionID)
    }

    @Test("pages over masters and versions chained by their markers add up", arguments: [1, 2, 3, 4])
    func interleavedPagination(maxKeys: Int) {
        var whole = DelimiterVersions<TestRecord>()
        feed(&whole, entries: Self.interleaved)
        var versions: [VersionEntry] = []
        var keyMarker: [UInt8]?
        var versionIDMarker: [UInt8]?
        for _ in 0..<50 {
            var filter = DelimiterVersions<TestRecord>(
                keyMarker: keyMarker, versionIDMarker: versionIDMarker, maxKeys: maxKeys)
            feed(&filter, entries: Self.interleaved)
            let page = filter.result()
            versions += page.versions
            guard page.isTruncated else { break }
            keyMarker = page.nextKeyMarker
            versionIDMarker = page.nextVersionIDMarker
        }
        #expect(versions == whole.result().versions)
    }

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
