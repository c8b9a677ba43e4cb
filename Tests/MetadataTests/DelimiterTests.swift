import Testing

@testable import Metadata

/// ListObjects behaviour of `Delimiter`, fed from arrays of keys.
@Suite("Delimiter")
struct DelimiterTests {
    /// The example bucket of the S3 ListObjects pages, plus a few neighbours.
    static let bucket = [
        "notes/summer/july", "notes/summer/august", "notes/winter/january", "notes/a.txt",
        "photos/2006/February/sample.jpg", "photos/2006/January/sample.jpg", "photos/2007/x.jpg",
        "readme.txt", "sample.jpg", "sample1.jpg",
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var prefix = ""
        var delimiter: String?
        var marker: String?
        var maxKeys = 1000
        var contents: [String]
        var prefixes: [String] = []
        var truncated = false
        var nextMarker: String?
    }

    static let cases: [Case] = [
        Case(testDescription: "no delimiter lists every key in order", contents: bucket.sorted()),
        Case(
            testDescription: "a delimiter at the root rolls keys up into common prefixes", delimiter: "/",
            contents: ["readme.txt", "sample.jpg", "sample1.jpg"], prefixes: ["notes/", "photos/"]),
        Case(
            testDescription: "prefix and delimiter list one level below the prefix", prefix: "photos/2006/",
            delimiter: "/", contents: [], prefixes: ["photos/2006/February/", "photos/2006/January/"]),
        Case(
            testDescription: "a prefix without delimiter lists keys under it", prefix: "notes/summer/",
            contents: ["notes/summer/august", "notes/summer/july"]),
        Case(
            testDescription: "a prefix that is not a folder matches keys that start with it",
            prefix: "sample",
            delimiter: "/", contents: ["sample.jpg", "sample1.jpg"]),
        Case(
            testDescription: "MaxKeys 0 gives an empty page that is not truncated", maxKeys: 0, contents: []),
        Case(
            testDescription: "common prefixes count toward MaxKeys and set NextMarker", delimiter: "/",
            maxKeys: 2,
            contents: [], prefixes: ["notes/", "photos/"], truncated: true, nextMarker: "photos/"),
        Case(
            testDescription: "a marker equal to a common prefix resumes after it", delimiter: "/",
            marker: "photos/",
            maxKeys: 2, contents: ["readme.txt", "sample.jpg"], truncated: true, nextMarker: "sample.jpg"),
        Case(
            testDescription: "a marker inside a common prefix does not list that prefix again",
            delimiter: "/",
            marker: "notes/summer/july", contents: ["readme.txt", "sample.jpg", "sample1.jpg"],
            prefixes: ["photos/"]),
        Case(
            testDescription: "the marker is exclusive", marker: "readme.txt",
            contents: ["sample.jpg", "sample1.jpg"]),
        Case(
            testDescription: "a marker before the prefix starts at the prefix", prefix: "photos/",
            marker: "a",
            maxKeys: 1, contents: ["photos/2006/February/sample.jpg"], truncated: true),
        Case(
            testDescription: "a marker after the prefix lists nothing", prefix: "notes/", marker: "z",
            contents: []),
        Case(
            testDescription: "a full last page is not truncated", delimiter: "/", maxKeys: 5,
            contents: ["readme.txt", "sample.jpg", "sample1.jpg"], prefixes: ["notes/", "photos/"]),
        Case(
            testDescription: "without a delimiter a truncated page has no NextMarker", maxKeys: 1,
            contents: ["notes/a.txt"], truncated: true),
        Case(
            testDescription: "a delimiter of several characters", prefix: "photos/", delimiter: "/2",
            contents: [
                "photos/2006/February/sample.jpg", "photos/2006/January/sample.jpg", "photos/2007/x.jpg",
            ]),
        Case(
            testDescription: "a delimiter other than slash", delimiter: "s", contents: ["readme.txt"],
            prefixes: ["notes", "photos", "s"]),
    ]

    @Test("ListObjects pages", arguments: cases)
    func page(_ test: Case) {
        var filter = Delimiter(
            prefix: b(test.prefix), delimiter: test.delimiter.map(b), marker: test.marker.map(b),
            maxKeys: test.maxKeys)
        feed(&filter, Self.bucket)
        let result = filter.result()
        #expect(result.contents.map { String(decoding: $0.key, as: UTF8.self) } == test.contents)
        #expect(result.contents.allSatisfy { $0.value == b("v:") + $0.key })
        #expect(result.commonPrefixes.map { String(decoding: $0, as: UTF8.self) } == test.prefixes)
        #expect(result.isTruncated == test.truncated)
        #expect(result.nextMarker.map { String(decoding: $0, as: UTF8.self) } == test.nextMarker)
    }

    @Test("pages chained by their markers add up to the whole listing", arguments: [1, 2, 3, 7])
    func pagination(maxKeys: Int) {
        for delimiter in [nil, "/", "s"] as [String?] {
            for prefix in ["", "notes/", "photos/2006/", "s"] {
                var whole = Delimiter(prefix: b(prefix), delimiter: delimiter.map(b))
                feed(&whole, Self.bucket)
                var contents: [[UInt8]] = []
                var prefixes: [[UInt8]] = []
                var marker: [UInt8]?
                for _ in 0..<50 {
                    var filter = Delimiter(
                        prefix: b(prefix), delimiter: delimiter.map(b), marker: marker, maxKeys: maxKeys)
                    feed(&filter, Self.bucket)
                    let page = filter.result()
                    #expect(page.contents.count + page.commonPrefixes.count <= maxKeys)
                    contents += page.contents.map(\.key)
                    prefixes += page.commonPrefixes
                    guard page.isTruncated else { break }
                    marker = page.nextContinuationMarker
                    if delimiter != nil { #expect(page.nextMarker == marker) }
                }
                #expect(contents == whole.result().contents.map(\.key))
                #expect(prefixes == whole.result().commonPrefixes)
            }
        }
    }

    @Test("keys with 0x00 and 0xFF bytes roll up and sort bytewise")
    func binaryKeys() {
        let keys: [[UInt8]] = [
            [0x00], [0x00, 0x2F, 0x01], [0x2F], [0xFF, 0x2F], [0xFF, 0x2F, 0xFF], [0xFF, 0xFF],
        ]
        var filter = Delimiter(delimiter: b("/"))
        let visits = feed(&filter, keys)
        let result = filter.result()
        #expect(result.contents.map(\.key) == [[0x00], [0xFF, 0xFF]])
        #expect(result.commonPrefixes == [[0x00, 0x2F], [0x2F], [0xFF, 0x2F]])
        #expect(visits == 5)
    }

    @Test("after a common prefix the filter skips every key under it")
    func skipsCommonPrefixes() {
        var keys: [String] = []
        for folder in 0..<10 { for file in 0..<500 { keys.append("dir\(folder)/file\(file)") } }
        keys.append("top.txt")
        var filter = Delimiter(delimiter: b("/"))
        let visits = feed(&filter, keys)
        #expect(filter.result().commonPrefixes.count == 10)
        #expect(filter.result().contents.map(\.key) == [b("top.txt")])
        #expect(visits == 11)
    }
}
