import Testing

@testable import S3API

/// The tables of docs section 7.1.4, row by row, on the pure planner.
@Suite("Versioning planner") struct VersioningTests {
    /// A version record with an ID; `null` marks a null version.
    func version(_ id: String, null: Bool = false, nullVersionID: String? = nil, marker: Bool = false)
        -> ObjectMD
    {
        var md = ObjectMD(key: "foo", size: 1, eTag: id, lastModified: 0, ownerID: "o", ownerDisplayName: "o")
        md.versionID = id
        md.isNull = null
        md.nullVersionID = nullVersionID
        md.isDeleteMarker = marker ? true : nil
        return md
    }

    func state(_ newest: [ObjectMD], null: ObjectMD? = nil) -> Versioning.KeyState {
        Versioning.KeyState(newest: newest, nullVersion: null ?? newest.first { $0.isNull == true })
    }

    @Test("case 1: a PUT without versioning creates a null version that replaces the previous null version")
    func nullOverwrite() {
        let a = version("v1", null: true)
        let plan = Versioning.planPut(version("v2"), state: state([a]), status: nil)
        #expect(plan.puts.map(\.versionID) == ["v2"])
        #expect(plan.puts.first?.isNull == true)
        #expect(plan.deletes.map(\.versionID) == ["v1"])
        #expect(plan.master == .set(plan.puts[0]))
        #expect(plan.responseVersion == nil)
    }

    @Test("creation of new versions: enabled PUTs stack versions and update the master")
    func enabledPuts() {
        let first = Versioning.planPut(version("v1"), state: state([]), status: .enabled)
        #expect(first.puts.first?.isNull == false)
        #expect(first.deletes.isEmpty)
        #expect(first.responseVersion == .id("v1"))
        let second = Versioning.planPut(version("v2"), state: state([first.puts[0]]), status: .enabled)
        #expect(second.deletes.isEmpty)
        #expect(second.master == .set(second.puts[0]))
    }

    @Test("case 2: a null version is preserved when versioning is enabled, and the new version remembers it")
    func preservesNull() {
        let b = version("v1", null: true)
        let plan = Versioning.planPut(version("v2"), state: state([b]), status: .enabled)
        #expect(plan.deletes.isEmpty)
        #expect(plan.puts.first?.nullVersionID == "v1")
        #expect(plan.puts.first?.isNull == false)
    }

    @Test(
        "case 3: a suspended PUT deletes the null version found through nullVersionId and becomes the null version"
    )
    func suspendedOverwritesHiddenNull() {
        let b = version("v1", null: true)
        let c = version("v2", nullVersionID: "v1")
        let plan = Versioning.planPut(version("v3"), state: state([c, b], null: b), status: .suspended)
        #expect(plan.deletes.map(\.versionID) == ["v1"])
        #expect(plan.puts.first?.isNull == true)
        #expect(plan.master == .set(plan.puts[0]))
        #expect(plan.responseVersion == .null)
    }

    @Test("delete markers: an enabled DELETE puts a marker and removes the master")
    func enabledDelete() {
        let a = version("v1")
        let plan = Versioning.planDelete(version("v2"), state: state([a]), status: .enabled)
        #expect(plan.puts.first?.isDeleteMarker == true)
        #expect(plan.master == .remove)
        #expect(plan.deleteMarker)
        #expect(plan.responseVersion == .id("v2"))
        #expect(plan.deletes.isEmpty)
    }

    @Test("a suspended DELETE replaces the null version with a null delete marker")
    func suspendedDelete() {
        let null = version("v1", null: true)
        let plan = Versioning.planDelete(version("v2"), state: state([null]), status: .suspended)
        #expect(plan.deletes.map(\.versionID) == ["v1"])
        #expect(plan.puts.first?.isNull == true)
        #expect(plan.puts.first?.isDeleteMarker == true)
        #expect(plan.responseVersion == .null)
    }

    @Test("a DELETE in a never-versioned bucket deletes the object")
    func plainDelete() {
        let null = version("v1", null: true)
        let plan = Versioning.planDelete(version("v2"), state: state([null]), status: nil)
        #expect(plan.puts.isEmpty)
        #expect(plan.deletes.map(\.versionID) == ["v1"])
        #expect(plan.master == .remove)
        #expect(!plan.deleteMarker)
    }

    @Test("deleting the latest version repairs the master from the next one")
    func deleteLatestRepairs() {
        let v2 = version("v2")
        let v1 = version("v1")
        let plan = Versioning.planDeleteVersion(v2, state: state([v2, v1]), status: .enabled)
        #expect(plan.master == .set(v1))
        #expect(plan.responseVersion == .id("v2"))
    }

    @Test("deleting the latest version leaves no master when the next one is a delete marker or none")
    func deleteLatestNoMaster() {
        let v2 = version("v2")
        let marker = version("v1", marker: true)
        #expect(
            Versioning.planDeleteVersion(v2, state: state([v2, marker]), status: .enabled).master == .remove)
        #expect(Versioning.planDeleteVersion(v2, state: state([v2]), status: .enabled).master == .remove)
    }

    @Test("deleting a delete marker restores the previous version and says so")
    func deleteMarkerRestores() {
        let marker = version("v2", marker: true)
        let v1 = version("v1")
        let plan = Versioning.planDeleteVersion(marker, state: state([marker, v1]), status: .enabled)
        #expect(plan.master == .set(v1))
        #expect(plan.deleteMarker)
    }

    @Test("deleting an older version keeps the master")
    func deleteOlder() {
        let v2 = version("v2")
        let v1 = version("v1")
        #expect(Versioning.planDeleteVersion(v1, state: state([v2, v1]), status: .enabled).master == .keep)
    }
}
