import Testing

@testable import Metadata

/// ListObjects on versioned buckets: `DelimiterMaster`, fed the master range (as the server
/// does) or the manual's interleaved layout (as docs 7.1.3 draws it).
@Suite("DelimiterMaster")
struct DelimiterMasterTests {
    /// The LIST example of docs 7.1.3 (`.` is the 0x00 separator).
    static let manualKeys = [
        "foo/bar", "foo/bar.v2", "foo/bar.v1", "bar", "qux/quz", "qux/quz.v2", "qux/quz.v1", "quz", "quz.v2",
        "quz.v1",
    ].map { Array($0.utf8).map { $0 == UInt8(ascii: ".") ? 0 : $0 } }

    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var prefix = ""
        var delimiter: String?
        var marker: String?
        var maxKeys = 1000
        var contents: [String]
        var prefixes: [String] = []
        var truncated = false
    }

    static let cases: [Case] = [
        Case(
            testDescription: "the manual's standard LIST returns the masters only",
            contents: ["bar", "foo/bar", "qux/quz", "quz"]),
        Case(
            testDescription: "a delimiter rolls masters up; versions add no prefix", delimiter: "/",
            contents: ["bar", "quz"], prefixes: ["foo/", "qux/"]),
        Case(
            testDescription: "a prefix selects masters under it", prefix: "qu", contents: ["qux/quz", "quz"]),
        Case(
            testDescription: "a marker on a master starts after that key and its versions", marker: "foo/bar",
            contents: ["qux/quz", "quz"]),
        Case(
            testDescription: "max-keys counts masters, never versions", maxKeys: 2,
            contents: ["bar", "foo/bar"],
            truncated: true),
        Case(
            testDescription: "a page ending on the last master is not truncated by its versions", maxKeys: 4,
            contents: ["bar", "foo/bar", "qux/quz", "quz"]),
    ]

    @Test("the manual's interleaved layout", arguments: cases)
    func interleaved(_ test: Case) {
        var filter = DelimiterMaster(
            prefix: b(test.prefix), delimiter: test.delimiter.map(b), marker: test.marker.map(b),
            maxKeys: test.maxKeys)
        feed(&filter, Self.manualKeys)
        let result = filter.result()
        #expect(result.contents.map { String(decoding: $0.key, as: UTF8.self) } == test.contents)
        #expect(result.commonPrefixes.map { String(decoding: $0, as: UTF8.self) } == test.prefixes)
        #expect(result.isTruncated == test.truncated)
    }

    @Test("every version of a key is passed in one skip")
    func oneSkipPerKey() {
        let keys = [b("a")] + (0..<1000).map { b("a") + [0] + b(String(1000 + $0)) } + [b("b")]
        var filter = DelimiterMaster()
        #expect(feed(&filter, keys) == 3)
        #expect(filter.result().contents.map(\.key) == [b("a"), b("b")])
    }

    @Test(
        "on the master range alone it lists as Delimiter does",
        arguments: DelimiterTests.cases.filter {
            $0.marker != nil || $0.delimiter != nil || $0.maxKeys < 1000
        })
    func sameAsDelimiter(_ test: DelimiterTests.Case) {
        var masters = DelimiterMaster(
            prefix: b(test.prefix), delimiter: test.delimiter.map(b), marker: test.marker.map(b),
            maxKeys: test.maxKeys)
        var plain = Delimiter(
            prefix: b(test.prefix), delimiter: test.delimiter.map(b), marker: test.marker.map(b),
            maxKeys: test.maxKeys)
        feed(&masters, DelimiterTests.bucket)
        feed(&plain, DelimiterTests.bucket)
        #expect(masters.result() == plain.result())
    }
}
