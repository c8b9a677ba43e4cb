import Data
import Metadata
import Testing

@testable import S3API

/// The tables and examples of docs section 7.1.4, row by row, through the planner and the
/// metadata layer: for one S3 request on `foo`, the metadata calls the planner makes (in the
/// manual's words), the records stored afterwards with their `versionId`, `isNull`,
/// `nullVersionId` and `isDeleteMarker` (see `VersionedShelf`), and what the response names.
@Suite("Versioning planner")
struct VersioningTests {
    /// An S3 request on `foo`.
    enum Request: Sendable {
        /// PutObject (CopyObject, CompleteMultipartUpload alike) of content `letter`.
        case put(String)
        /// DeleteObject without a version ID.
        case delete
        /// DeleteObject of a version: a label or `null`.
        case deleteVersion(String)
    }

    struct Step: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var status: VersioningStatus?
        var before: [String] = []
        var request: Request
        var calls: [String]
        var newIDs: [String] = []
        var after: [String]
        /// `x-amz-version-id`: a label, `null`, or nil for none.
        var version: String?
        var deleteMarker = false
    }

    static let creationSteps: [Step] = [
        Step(
            testDescription: "Creation of New Versions (1): PUT foo with versioning enabled",
            status: .enabled,
            request: .put("A"), calls: ["PUT versioning: true"], newIDs: ["v1"],
            after: ["foo=A@v1", "foo.v1=A@v1"], version: "v1"),
        Step(
            testDescription: "Creation of New Versions (2): a second PUT stacks a second version",
            status: .enabled, before: ["foo=A@v1", "foo.v1=A@v1"], request: .put("B"),
            calls: ["PUT versioning: true"], newIDs: ["v2"],
            after: ["foo=B@v2", "foo.v2=B@v2", "foo.v1=A@v1"],
            version: "v2"),
    ]

    static let nullVersionSteps: [Step] = [
        Step(
            testDescription:
                "Case 1 (1), suspended: PUT foo, versionId '': a null version in the master only",
            status: .suspended, request: .put("A"), calls: ["PUT versionId ''"], newIDs: ["v1"],
            after: ["foo=A@v1 null"], version: "null"),
        Step(
            testDescription:
                "Case 1 (2A, 2B), suspended: clean-up DELETE of the null master, then PUT versionId ''",
            status: .suspended, before: ["foo=A@v1 null"], request: .put("B"),
            calls: ["DELETE versionId v1", "PUT versionId ''"], newIDs: ["v2"], after: ["foo=B@v2 null"],
            version: "null"),
        Step(
            testDescription: "Case 1 (1), never configured: PUT without options, no versionId (PUT Example)",
            request: .put("A"), calls: ["PUT"], after: ["foo=A"]),
        Step(
            testDescription: "Case 1 (2), never configured: the master is overwritten", before: ["foo=A"],
            request: .put("B"), calls: ["PUT"], after: ["foo=B"]),
        Step(
            testDescription:
                "Case 2 (3A, 3B): the null master is stored at its own version key, then a new version",
            status: .enabled, before: ["foo=B@v1 null"], request: .put("C"),
            calls: ["PUT versionId v1", "PUT versioning: true"], newIDs: ["v2"],
            after: ["foo=C@v2 nullVersionId=v1", "foo.v2=C@v2 nullVersionId=v1", "foo.v1=B@v1 null"],
            version: "v2"),
        Step(
            testDescription:
                "Case 2 for an object put before versioning: its key is the non-versioned object id",
            status: .enabled, before: ["foo=B"], request: .put("C"),
            calls: ["PUT versionId nv", "PUT versioning: true"], newIDs: ["v1"],
            after: ["foo=C@v1 nullVersionId=nv", "foo.v1=C@v1 nullVersionId=nv", "foo.nv=B@nv null"],
            version: "v1"),
        Step(
            testDescription:
                "Case 3 (4A, 4B): DELETE the null version nullVersionId names, then PUT versionId ''",
            status: .suspended,
            before: ["foo=C@v2 nullVersionId=v1", "foo.v2=C@v2 nullVersionId=v1", "foo.v1=B@v1 null"],
            request: .put("D"), calls: ["DELETE versionId v1", "PUT versionId ''"], newIDs: ["v3"],
            after: ["foo=D@v3 null", "foo.v2=C@v2 nullVersionId=v1"], version: "null"),
    ]

    static let putExampleSteps: [Step] = [
        Step(
            testDescription: "enabled, master not null: a new version that keeps the master's nullVersionId",
            status: .enabled,
            before: ["foo=C@v2 nullVersionId=v1", "foo.v2=C@v2 nullVersionId=v1", "foo.v1=B@v1 null"],
            request: .put("D"), calls: ["PUT versioning: true"], newIDs: ["v3"],
            after: [
                "foo=D@v3 nullVersionId=v1", "foo.v3=D@v3 nullVersionId=v1", "foo.v2=C@v2 nullVersionId=v1",
                "foo.v1=B@v1 null",
            ], version: "v3"),
        Step(
            testDescription: "enabled, no existing object: a new version", status: .enabled,
            request: .put("A"),
            calls: ["PUT versioning: true"], newIDs: ["v1"], after: ["foo=A@v1", "foo.v1=A@v1"], version: "v1"
        ),
        Step(
            testDescription: "suspended, master without versionId: overwritten by the new null version",
            status: .suspended, before: ["foo=A"], request: .put("B"), calls: ["PUT versionId ''"],
            newIDs: ["v1"], after: ["foo=B@v1 null"], version: "null"),
        Step(
            testDescription: "suspended, master not null and no nullVersionId: the versions stay",
            status: .suspended, before: ["foo=B@v2", "foo.v2=B@v2", "foo.v1=A@v1"], request: .put("C"),
            calls: ["PUT versionId ''"], newIDs: ["v3"],
            after: ["foo=C@v3 null", "foo.v2=B@v2", "foo.v1=A@v1"],
            version: "null"),
        Step(
            testDescription: "never configured, a null version of format 1 also at its version key: both go",
            before: ["foo=A@v1 null", "foo.v1=A@v1 null"], request: .put("B"),
            calls: ["DELETE versionId v1", "PUT"],
            after: ["foo=B"]),
    ]

    static let deleteExampleSteps: [Step] = [
        Step(
            testDescription: "enabled: a delete marker on top, the master goes", status: .enabled,
            before: ["foo=A@v1", "foo.v1=A@v1"], request: .delete, calls: ["PUT versioning: true"],
            newIDs: ["v2"], after: ["foo.v2=DM@v2", "foo.v1=A@v1"], version: "v2", deleteMarker: true),
        Step(
            testDescription: "enabled: a delete of a missing key still creates a delete marker",
            status: .enabled,
            request: .delete, calls: ["PUT versioning: true"], newIDs: ["v1"], after: ["foo.v1=DM@v1"],
            version: "v1", deleteMarker: true),
        Step(
            testDescription: "enabled, null master: it is kept at its version key under the marker",
            status: .enabled, before: ["foo=A@v1 null"], request: .delete,
            calls: ["PUT versionId v1", "PUT versioning: true"], newIDs: ["v2"],
            after: ["foo.v2=DM@v2 nullVersionId=v1", "foo.v1=A@v1 null"], version: "v2", deleteMarker: true),
        Step(
            testDescription: "suspended: a null delete marker replaces the null version", status: .suspended,
            before: ["foo=A@v1 null"], request: .delete, calls: ["DELETE versionId v1", "PUT versionId ''"],
            newIDs: ["v2"], after: ["foo.v2=DM@v2 null"], version: "null", deleteMarker: true),
        Step(
            testDescription: "suspended, versions below: the null delete marker goes on top of them",
            status: .suspended, before: ["foo=B@v2", "foo.v2=B@v2", "foo.v1=A@v1"], request: .delete,
            calls: ["PUT versionId ''"], newIDs: ["v3"],
            after: ["foo.v3=DM@v3 null", "foo.v2=B@v2", "foo.v1=A@v1"],
            version: "null", deleteMarker: true),
        Step(
            testDescription: "never configured: the object is deleted", before: ["foo=A"], request: .delete,
            calls: ["DELETE"], after: []),
        Step(
            testDescription: "never configured, a record of format 1: its version key goes too",
            before: ["foo=A@v1 null", "foo.v1=A@v1 null"], request: .delete, calls: ["DELETE versionId v1"],
            after: []),
        Step(
            testDescription: "never configured, nothing there: no call", request: .delete, calls: [],
            after: []),
        Step(
            testDescription: "a version-specific delete of the latest version: the next one is the master",
            status: .enabled, before: ["foo=B@v2", "foo.v2=B@v2", "foo.v1=A@v1"],
            request: .deleteVersion("v2"),
            calls: ["DELETE versionId v2"], after: ["foo=A@v1", "foo.v1=A@v1"], version: "v2"),
        Step(
            testDescription: "deleting the delete marker restores the version below and says it was a marker",
            status: .enabled, before: ["foo.v2=DM@v2", "foo.v1=A@v1"], request: .deleteVersion("v2"),
            calls: ["DELETE versionId v2"], after: ["foo=A@v1", "foo.v1=A@v1"], version: "v2",
            deleteMarker: true),
        Step(
            testDescription: "versionId=null names the null master stored alone", status: .enabled,
            before: ["foo=B@v2 null", "foo.v1=A@v1"], request: .deleteVersion("null"),
            calls: ["DELETE versionId v2"], after: ["foo=A@v1", "foo.v1=A@v1"], version: "null"),
        Step(
            testDescription: "versionId=null names a master without versionId: plain DELETE",
            status: .enabled,
            before: ["foo=A"], request: .deleteVersion("null"), calls: ["DELETE"], after: [], version: "null"),
        Step(
            testDescription:
                "versionId=null follows the latest version's nullVersionId (Null Version Mapping)",
            status: .suspended,
            before: ["foo=C@v2 nullVersionId=v1", "foo.v2=C@v2 nullVersionId=v1", "foo.v1=B@v1 null"],
            request: .deleteVersion("null"), calls: ["DELETE versionId v1"],
            after: ["foo=C@v2 nullVersionId=v1", "foo.v2=C@v2 nullVersionId=v1"], version: "null"),
    ]

    @Test("Creation of New Versions", arguments: creationSteps)
    func creation(_ step: Step) throws { try check(step) }

    @Test("Null Version Management, Cases 1-3", arguments: nullVersionSteps)
    func nullVersion(_ step: Step) throws { try check(step) }

    @Test("PUT Example", arguments: putExampleSteps)
    func put(_ step: Step) throws { try check(step) }

    @Test("Delete Markers and DELETE Example", arguments: deleteExampleSteps)
    func delete(_ step: Step) throws { try check(step) }

    func check(_ step: Step) throws {
        let shelf = try VersionedShelf(step.before)
        let state = try shelf.state()
        let plan: Versioning.WritePlan
        switch step.request {
        case .put(let letter):
            plan = Versioning.planPut(
                VersionedShelf.record(letter), latest: state.latest, status: step.status,
                nonVersionedID: VersionedShelf.nonVersioned)
        case .delete:
            plan = Versioning.planDelete(
                VersionedShelf.record("DM"), latest: state.latest, status: step.status,
                nonVersionedID: VersionedShelf.nonVersioned)
        case .deleteVersion(let label):
            let target =
                label == "null"
                ? try ObjectCatalog.nullVersion(shelf.store, bucket: VersionedShelf.bucket, of: state)
                : state.version(VersionedShelf.raw(label))
            plan = Versioning.planDeleteVersion(try #require(target))
        }
        #expect(plan.calls.map(VersionedShelf.describe) == step.calls)
        let outcome = try shelf.apply(plan, newIDs: step.newIDs)
        #expect(try shelf.rows() == step.after)
        let shown = outcome.responseVersion.map { version -> String in
            switch version {
            case .null: "null"
            case .id(let raw): VersionedShelf.label(raw)
            }
        }
        #expect(shown == step.version)
        #expect(outcome.deleteMarker == step.deleteMarker)
    }

    @Test(
        "Null Version Mapping: the latest if null, else the version its nullVersionId names",
        arguments: [
            (["foo=B@v2 null", "foo.v1=A@v1"], "B"),
            (["foo=B"], "B"),
            (["foo=C@v2 nullVersionId=v1", "foo.v2=C@v2 nullVersionId=v1", "foo.v1=B@v1 null"], "B"),
            (["foo.v3=DM@v3 nullVersionId=v1", "foo.v2=C@v2 nullVersionId=v1", "foo.v1=B@v1 null"], "B"),
            (["foo.v2=DM@v2 null", "foo.v1=A@v1"], "DM"),
            (["foo=A@v1", "foo.v1=A@v1"], nil),
        ] as [([String], String?)])
    func nullVersionMapping(rows: [String], null: String?) throws {
        let shelf = try VersionedShelf(rows)
        let found = try ObjectCatalog.nullVersion(
            shelf.store, bucket: VersionedShelf.bucket, of: shelf.state())
        #expect(found.map { $0.isDeleteMarker == true ? "DM" : $0.eTag } == null)
    }

    @Test("a garbage record names the remote version it was made for")
    func garbageKeys() {
        let version = DataLocation(
            location: "aws-east", key: "bucket/a/b\u{0}c", size: 9,
            dataStoreVersionID: "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY")
        let found = ObjectCatalog.garbageLocation(ObjectCatalog.refKey(version))
        #expect(found?.location == "aws-east" && found?.key == "bucket/a/b\u{0}c")
        #expect(found?.dataStoreVersionID == version.dataStoreVersionID)
        #expect(ObjectCatalog.garbageLocation(Array("no separator".utf8)) == nil)
    }

    @Test("the data of a replaced record is freed only when no record left refers to it")
    func dataFreedOnce() throws {
        func located(_ row: String, _ data: String) -> MetadataOperation {
            guard case .put(let ns, let key, let value) = VersionedShelf.operation(row) else { fatalError() }
            var md = try! ObjectMD(storedBytes: value)
            md.locations = [DataLocation(location: "mem", key: data, size: 1)]
            return .put(namespace: ns, key: key, value: md.storedBytes())
        }
        let shelf = try VersionedShelf([])
        try shelf.store.commit([
            located("foo=B@v2", "b"), located("foo.v2=B@v2", "b"), located("foo.v1=A@v1", "a"),
        ])
        var state = try shelf.state()
        // Deleting v2: its master copy goes too, and A becomes the master; only "b" is freed.
        let batch = state.plan(
            [.delete(.versionID(VersionedShelf.raw("v2")))], namespace: VersionedShelf.namespace
        ) {
            "unused"
        }
        let free = ObjectCatalog.operations(for: batch).free
        #expect(free.map(\.key) == ["b"])
        // Left to the collector, "b" moves from the references to the garbage in the same batch.
        let collected = ObjectCatalog.operations(for: batch, deferring: { _ in true })
        #expect(collected.free.isEmpty && collected.deferred.map(\.key) == ["b"])
        let ref = ObjectCatalog.refKey(collected.deferred[0])
        #expect(collected.batch.contains(.delete(namespace: ObjectCatalog.refsNamespace, key: ref)))
        #expect(
            collected.batch.contains(.put(namespace: ObjectCatalog.garbageNamespace, key: ref, value: [])))
        // Moving a null master to its version key (3A) and stacking a version frees nothing.
        try shelf.store.commit([located("foo=N@v3 null", "n")])
        state = try shelf.state()
        let plan = Versioning.planPut(
            VersionedShelf.record("C"), latest: state.latest, status: .enabled,
            nonVersionedID: VersionedShelf.nonVersioned)
        let move = state.plan(plan.calls, namespace: VersionedShelf.namespace) { VersionedShelf.raw("v4") }
        #expect(ObjectCatalog.operations(for: move).free.isEmpty)
    }
}
