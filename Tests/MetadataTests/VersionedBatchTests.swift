import Testing

@testable import Metadata

/// The metadata layer's versioning options (docs 7.1.3, "Metadata Versioning Options", and
/// the metadata calls of 7.1.4), row by row: what is stored before, the calls, what is
/// stored after (in the manual's notation, see `Shelf`) and the version IDs returned.
@Suite("Metadata versioning options")
struct VersionedBatchTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var before: [String] = []
        var calls: [MetadataCall<TestRecord>]
        var newIDs: [String] = []
        var after: [String]
        var returned: [String?]
    }

    static func put(_ value: String, _ options: VersionedPut.Options) -> MetadataCall<TestRecord> {
        .put(TestRecord(value), options)
    }

    static func id(_ label: String) -> String { Label.raw(label) }

    /// 7.1.3: PUT, DELETE and the master version.
    static let options: [Row] = [
        Row(
            testDescription: "PUT without options: the original PUT, it updates the master",
            calls: [put("A", .none)], after: ["foo=A"], returned: [nil]),
        Row(
            testDescription:
                "PUT versioning: true creates a version then updates the master with it (the master table)",
            before: ["foo=A@v1", "foo.v1=A@v1"], calls: [put("B", .versioning)], newIDs: ["v2"],
            after: ["foo=B@v2", "foo.v2=B@v2", "foo.v1=A@v1"], returned: [id("v2")]),
        Row(
            testDescription: "PUT versionId of the latest version updates that version and the master",
            before: ["foo=B@v2", "foo.v2=B@v2", "foo.v1=A@v1"], calls: [put("B2", .versionID(id("v2")))],
            after: ["foo=B2@v2", "foo.v2=B2@v2", "foo.v1=A@v1"], returned: [id("v2")]),
        Row(
            testDescription: "PUT versionId of an older version updates that version only",
            before: ["foo=B@v2", "foo.v2=B@v2", "foo.v1=A@v1"], calls: [put("A2", .versionID(id("v1")))],
            after: ["foo=B@v2", "foo.v2=B@v2", "foo.v1=A2@v1"], returned: [id("v1")]),
        Row(
            testDescription:
                "PUT versionId newer than the master (as replication may) updates the master too",
            before: ["foo=A@v1", "foo.v1=A@v1"], calls: [put("C", .versionID(id("v3")))],
            after: ["foo=C@v3", "foo.v3=C@v3", "foo.v1=A@v1"], returned: [id("v3")]),
        Row(
            testDescription: "PUT versionId '' overwrites the master only, giving it a versionId",
            before: ["foo=A@v1", "foo.v1=A@v1"], calls: [put("B", .versionID(""))], newIDs: ["v2"],
            after: ["foo=B@v2", "foo.v1=A@v1"], returned: [id("v2")]),
        Row(
            testDescription: "DELETE without options: the original DELETE, it deletes the master",
            before: ["foo=A"], calls: [.delete(.none)], after: [], returned: [nil]),
        Row(
            testDescription: "DELETE versionId of an older version leaves the master",
            before: ["foo=B@v2", "foo.v2=B@v2", "foo.v1=A@v1"], calls: [.delete(.versionID(id("v1")))],
            after: ["foo=B@v2", "foo.v2=B@v2"], returned: [nil]),
        Row(
            testDescription: "DELETE versionId of the latest version repairs the master with the next one",
            before: ["foo=B@v2", "foo.v2=B@v2", "foo.v1=A@v1"], calls: [.delete(.versionID(id("v2")))],
            after: ["foo=A@v1", "foo.v1=A@v1"], returned: [nil]),
        Row(
            testDescription: "DELETE versionId of the only version removes the master: no versions are left",
            before: ["foo=A@v1", "foo.v1=A@v1"], calls: [.delete(.versionID(id("v1")))], after: [],
            returned: [nil]),
        Row(
            testDescription:
                "DELETE versionId of a master stored alone (a null version) repairs it from the versions",
            before: ["foo=B@v2", "foo.v1=A@v1"], calls: [.delete(.versionID(id("v2")))],
            after: ["foo=A@v1", "foo.v1=A@v1"], returned: [nil]),
    ]

    /// The layout's rule: the master range never holds a delete marker.
    static let deleteMarkers: [Row] = [
        Row(
            testDescription: "a delete marker put as a new version leaves no master",
            before: ["foo=A@v1", "foo.v1=A@v1"], calls: [put("DM", .versioning)], newIDs: ["v2"],
            after: ["foo.v2=DM@v2", "foo.v1=A@v1"], returned: [id("v2")]),
        Row(
            testDescription: "deleting the delete marker on top makes the version below the master again",
            before: ["foo.v2=DM@v2", "foo.v1=A@v1"], calls: [.delete(.versionID(id("v2")))],
            after: ["foo=A@v1", "foo.v1=A@v1"], returned: [nil]),
        Row(
            testDescription: "deleting the latest version above a delete marker leaves no master",
            before: ["foo=C@v3", "foo.v3=C@v3", "foo.v2=DM@v2", "foo.v1=A@v1"],
            calls: [.delete(.versionID(id("v3")))], after: ["foo.v2=DM@v2", "foo.v1=A@v1"], returned: [nil]),
        Row(
            testDescription: "a null delete marker (versionId '') goes to its version key, not the master",
            before: ["foo=A@v1"], calls: [.delete(.versionID(id("v1"))), put("DM", .versionID(""))],
            newIDs: ["v2"], after: ["foo.v2=DM@v2"], returned: [nil, id("v2")]),
        Row(
            testDescription: "a version put above a delete marker becomes the master",
            before: ["foo.v2=DM@v2", "foo.v1=A@v1"], calls: [put("C", .versioning)], newIDs: ["v3"],
            after: ["foo=C@v3", "foo.v3=C@v3", "foo.v2=DM@v2", "foo.v1=A@v1"], returned: [id("v3")]),
    ]

    /// 7.1.4: the calls of each table, step by step (one row per step).
    static let apiTables: [Row] = [
        Row(
            testDescription: "Creation of New Versions (1): PUT foo, versioning: true",
            calls: [put("A", .versioning)], newIDs: ["v1"], after: ["foo=A@v1", "foo.v1=A@v1"],
            returned: [id("v1")]),
        Row(
            testDescription: "Creation of New Versions (2): PUT foo, versioning: true",
            before: ["foo=A@v1", "foo.v1=A@v1"], calls: [put("B", .versioning)], newIDs: ["v2"],
            after: ["foo=B@v2", "foo.v2=B@v2", "foo.v1=A@v1"], returned: [id("v2")]),
        Row(
            testDescription: "Case 1 (1): PUT foo, versionId '': the null version is in the master alone",
            calls: [put("A", .versionID(""))], newIDs: ["v1"], after: ["foo=A@v1"], returned: [id("v1")]),
        Row(
            testDescription: "Case 1 (2A): DELETE foo, versionId <version id of master version>",
            before: ["foo=A@v1"], calls: [.delete(.versionID(id("v1")))], after: [], returned: [nil]),
        Row(
            testDescription: "Case 1 (2B): PUT foo, versionId ''", calls: [put("B", .versionID(""))],
            newIDs: ["v2"], after: ["foo=B@v2"], returned: [id("v2")]),
        Row(
            testDescription: "Case 2 (3A): PUT foo, versionId <versionId of master version>",
            before: ["foo=B@v1"], calls: [put("B", .versionID(id("v1")))],
            after: ["foo=B@v1", "foo.v1=B@v1"],
            returned: [id("v1")]),
        Row(
            testDescription: "Case 2 (3B): PUT foo, versioning: true",
            before: ["foo=B@v1", "foo.v1=B@v1"], calls: [put("C", .versioning)], newIDs: ["v2"],
            after: ["foo=C@v2", "foo.v2=C@v2", "foo.v1=B@v1"], returned: [id("v2")]),
        Row(
            testDescription: "Case 3 (4A): DELETE foo, versionId <nullVersionId of master version>",
            before: ["foo=C@v2", "foo.v2=C@v2", "foo.v1=B@v1"], calls: [.delete(.versionID(id("v1")))],
            after: ["foo=C@v2", "foo.v2=C@v2"], returned: [nil]),
        Row(
            testDescription: "Case 3 (4B): PUT foo, versionId ''", before: ["foo=C@v2", "foo.v2=C@v2"],
            calls: [put("D", .versionID(""))], newIDs: ["v3"], after: ["foo=D@v3", "foo.v2=C@v2"],
            returned: [id("v3")]),
        Row(
            testDescription:
                "Case 2 for an object put before versioning: PUT versionId <non-versioned object id>",
            before: ["foo=B"], calls: [put("B", .versionID(id("v0"))), put("C", .versioning)], newIDs: ["v1"],
            after: ["foo=C@v1", "foo.v1=C@v1", "foo.v0=B@v0"], returned: [id("v0"), id("v1")]),
    ]

    @Test("7.1.3 PUT and DELETE options", arguments: options)
    func option(_ row: Row) throws { try check(row) }

    @Test("delete markers and the master", arguments: deleteMarkers)
    func deleteMarker(_ row: Row) throws { try check(row) }

    @Test("7.1.4 tables, step by step", arguments: apiTables)
    func apiTable(_ row: Row) throws { try check(row) }

    func check(_ row: Row) throws {
        let shelf = try Shelf(row.before)
        let batch = try shelf.apply(row.calls, newIDs: row.newIDs)
        #expect(try shelf.rows() == row.after)
        #expect(batch.versionIDs == row.returned)
    }

    @Test("the Case 1-3 sequence in one bucket, each request one batch")
    func wholeSequence() throws {
        let shelf = try Shelf([])
        try shelf.apply([Self.put("A", .versionID(""))], newIDs: ["v1"])
        try shelf.apply([.delete(.versionID(Self.id("v1"))), Self.put("B", .versionID(""))], newIDs: ["v2"])
        #expect(try shelf.rows() == ["foo=B@v2"])
        try shelf.apply(
            [Self.put("B", .versionID(Self.id("v2"))), Self.put("C", .versioning)], newIDs: ["v3"])
        #expect(try shelf.rows() == ["foo=C@v3", "foo.v3=C@v3", "foo.v2=B@v2"])
        try shelf.apply([.delete(.versionID(Self.id("v2"))), Self.put("D", .versionID(""))], newIDs: ["v4"])
        #expect(try shelf.rows() == ["foo=D@v4", "foo.v3=C@v3"])
    }

    @Test("a batch reports the records it stores and replaces, for the data they hold")
    func writtenAndReplaced() throws {
        let shelf = try Shelf(["foo=B@v2", "foo.v2=B@v2", "foo.v1=A@v1"])
        let batch = try shelf.apply([.delete(.versionID(Self.id("v2")))])
        #expect(batch.written.map(\.value) == ["A"])
        #expect(batch.replaced.map(\.value).sorted() == ["B", "B"])
        #expect(batch.after.master?.value == "A")
        #expect(batch.after.versions.map(\.value) == ["A"])
    }

    @Test("deleting a version deep in the history deletes it, once it was read by ID")
    func deepVersion() throws {
        let rows = ["foo=F@v6"] + (1...6).map { "foo.v\($0)=\($0)@v\($0)" }
        let shelf = try Shelf(rows)
        let batch = try shelf.apply([.delete(.versionID(Self.id("v1")))])
        #expect(batch.replaced.map(\.value) == ["1"])
        #expect(try shelf.rows().count == 6)
        #expect(!(try shelf.rows()).contains("foo.v1=1@v1"))
    }

    @Test("the manual's master is the latest version, a delete marker included")
    func latest() {
        let marker = TestRecord("DM", versionID: Self.id("v2"))
        let older = TestRecord("A", versionID: Self.id("v1"))
        #expect(VersionedKey(key: "foo", versions: [older, marker]).latest == marker)
        let alone = TestRecord("B", versionID: Self.id("v3"))
        #expect(VersionedKey(key: "foo", master: alone, versions: [marker, older]).latest == alone)
        #expect(VersionedKey<TestRecord>(key: "foo").latest == nil)
    }
}
