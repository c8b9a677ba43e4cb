import Testing

@testable import Metadata

/// ListMultipartUploads behaviour of `MultipartUploads`, fed from arrays of upload keys.
@Suite("MultipartUploads")
struct MultipartUploadsTests {
    /// (object key, upload ID) pairs; IDs sort in initiation order.
    static let uploads: [(String, String)] = [
        ("a", "u1"), ("a", "u2"), ("b/x", "u3"), ("b/x", "u4"), ("b/y", "u5"), ("c", "u6"),
    ]
    static let keys = uploads.map { b($0.0) + [0] + b($0.1) }

    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var prefix = ""
        var delimiter: String?
        var keyMarker: String?
        var uploadIDMarker: String?
        var maxUploads = 1000
        var uploads: [String]
        var prefixes: [String] = []
        var next: String?
        var nextUpload: String?
    }

    static let cases: [Case] = [
        Case(
            testDescription: "every upload of every key, in initiation order within a key",
            uploads: ["a@u1", "a@u2", "b/x@u3", "b/x@u4", "b/y@u5", "c@u6"]),
        Case(
            testDescription: "a delimiter rolls uploads up into common prefixes", delimiter: "/",
            uploads: ["a@u1", "a@u2", "c@u6"], prefixes: ["b/"]),
        Case(
            testDescription: "a prefix limits the keys", prefix: "b/",
            uploads: ["b/x@u3", "b/x@u4", "b/y@u5"]),
        Case(
            testDescription: "a prefix and a delimiter list the next level", prefix: "b", delimiter: "/",
            uploads: [], prefixes: ["b/"]),
        Case(
            testDescription: "a truncated page names its last upload", maxUploads: 3,
            uploads: ["a@u1", "a@u2", "b/x@u3"], next: "b/x", nextUpload: "u3"),
        Case(
            testDescription: "a key marker alone starts after every upload of that key", keyMarker: "b/x",
            uploads: ["b/y@u5", "c@u6"]),
        Case(
            testDescription: "a key and upload-id marker start after that upload", keyMarker: "a",
            uploadIDMarker: "u1", uploads: ["a@u2", "b/x@u3", "b/x@u4", "b/y@u5", "c@u6"]),
        Case(
            testDescription: "an upload-id marker without a key marker is ignored", uploadIDMarker: "u2",
            uploads: ["a@u1", "a@u2", "b/x@u3", "b/x@u4", "b/y@u5", "c@u6"]),
        Case(
            testDescription: "a key marker inside a common prefix does not list it again", delimiter: "/",
            keyMarker: "b/x", uploads: ["c@u6"]),
        Case(
            testDescription: "a common prefix last leaves no upload-id marker", delimiter: "/", maxUploads: 3,
            uploads: ["a@u1", "a@u2"], prefixes: ["b/"], next: "b/"),
        Case(
            testDescription: "max-uploads 0 gives an empty page that is not truncated", maxUploads: 0,
            uploads: []),
    ]

    @Test("ListMultipartUploads pages", arguments: cases)
    func page(_ test: Case) {
        var filter = MultipartUploads(
            prefix: b(test.prefix), delimiter: test.delimiter.map(b), keyMarker: test.keyMarker.map(b),
            uploadIDMarker: test.uploadIDMarker.map(b), maxUploads: test.maxUploads)
        feed(&filter, Self.keys)
        let result = filter.result()
        #expect(result.uploads.map { text($0.key) + "@" + text($0.uploadID) } == test.uploads)
        #expect(result.uploads.allSatisfy { $0.value == b("v:") + $0.key + [0] + $0.uploadID })
        #expect(result.commonPrefixes.map(text) == test.prefixes)
        #expect(result.isTruncated == (test.next != nil))
        #expect(result.nextKeyMarker.map(text) == test.next)
        #expect(result.nextUploadIDMarker.map(text) == test.nextUpload)
    }

    @Test("pages chained by their markers add up to the whole listing", arguments: [1, 2, 3, 5])
    func pagination(maxUploads: Int) {
        for delimiter in [nil, "/"] as [String?] {
            var whole = MultipartUploads(delimiter: delimiter.map(b))
            feed(&whole, Self.keys)
            var uploads: [UploadEntry] = []
            var prefixes: [[UInt8]] = []
            var keyMarker: [UInt8]?
            var uploadIDMarker: [UInt8]?
            for _ in 0..<50 {
                var filter = MultipartUploads(
                    delimiter: delimiter.map(b), keyMarker: keyMarker, uploadIDMarker: uploadIDMarker,
                    maxUploads: maxUploads)
                feed(&filter, Self.keys)
                let page = filter.result()
                uploads += page.uploads
                prefixes += page.commonPrefixes
                guard page.isTruncated else { break }
                keyMarker = page.nextKeyMarker
                uploadIDMarker = page.nextUploadIDMarker
            }
            #expect(uploads == whole.result().uploads)
            #expect(prefixes == whole.result().commonPrefixes)
        }
    }

    @Test("a key holding 0x00 is split at its last 0x00")
    func keyWithNUL() {
        var filter = MultipartUploads()
        feed(&filter, [b("x") + [0] + b("y") + [0] + b("u9")])
        #expect(filter.result().uploads.map(\.uploadID) == [b("u9")])
        #expect(filter.result().uploads.map(\.key) == [b("x") + [0] + b("y")])
    }

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
