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
        var filter = DelimiterVersions(
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
            var whole = DelimiterVersions(delimiter: delimiter.map(b))
            feed(&whole, Self.keys)
            var versions: [VersionEntry] = []
            var prefixes: [[UInt8]] = []
            var keyMarker: [UInt8]?
            var versionIDMarker: [UInt8]?
            for _ in 0..<50 {
                var filter = DelimiterVersions(
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

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
