/// The versioning rules of docs section 7.1.4 as a pure planner: from what is stored for a key
/// and the bucket's versioning state to the versions to write and delete and what the master
/// becomes. No I/O; `ObjectCatalog` applies a plan in one atomic batch.
///
/// Storage (see `ObjectCatalog`): every version, null versions included, has its own record;
/// the master is a copy of the newest version, absent when that is a delete marker, so that
/// plain listings never meet delete markers.
package enum Versioning {
    /// What is stored for one key, as the planner needs it.
    package struct KeyState: Sendable {
        /// The newest versions, newest first (at most two: enough to repair the master).
        package var newest: [ObjectMD]
        /// The current null version, if any.
        package var nullVersion: ObjectMD?

        package init(newest: [ObjectMD], nullVersion: ObjectMD?) {
            self.newest = newest
            self.nullVersion = nullVersion
        }

        /// The latest version (possibly a delete marker).
        package var latest: ObjectMD? { newest.first }
    }

    /// What the master record becomes.
    package enum MasterChange: Equatable, Sendable {
        case set(ObjectMD)
        case remove
        case keep
    }

    /// The changes of one request on one key.
    package struct WritePlan: Sendable {
        /// Version records to write.
        package var puts: [ObjectMD] = []
        /// Version records to delete; their data is freed after the commit.
        package var deletes: [ObjectMD] = []
        package var master: MasterChange = .keep
        /// The version the response names (`x-amz-version-id`): a raw ID, `null`, or nil when
        /// the bucket's versioning was never configured.
        package var responseVersion: ResponseVersion?
        /// Whether the response says `x-amz-delete-marker: true`.
        package var deleteMarker = false
    }

    /// The version a response names.
    package enum ResponseVersion: Equatable, Sendable {
        case null
        case id(String)
    }

    /// The version a record is, as a response names it.
    package static func responseVersion(of md: ObjectMD, status: VersioningStatus?) -> ResponseVersion? {
        guard status != nil, let id = md.versionID else { return nil }
        return md.isNull == true ? .null : .id(id)
    }

    /// PutObject, CompleteMultipartUpload, CopyObject: `object` carries its freshly generated
    /// `versionID`. Enabled: a new version that remembers the current null version. Suspended or
    /// never configured: a new null version replacing the current one.
    package static func planPut(_ object: ObjectMD, state: KeyState, status: VersioningStatus?) -> WritePlan {
        var object = object
        var plan = WritePlan()
        if status == .enabled {
            object.isNull = false
            object.nullVersionID = state.nullVersion?.versionID
        } else {
            object.isNull = true
            object.nullVersionID = nil
            if let null = state.nullVersion { plan.deletes.append(null) }
        }
        object.isDeleteMarker = nil
        plan.puts = [object]
        plan.master = .set(object)
        plan.responseVersion = responseVersion(of: object, status: status)
        return plan
    }

    /// DeleteObject without a version ID. Enabled: a delete marker on top. Suspended: a null
    /// delete marker replacing the null version. Never configured: the object is deleted.
    package static func planDelete(_ marker: ObjectMD, state: KeyState, status: VersioningStatus?)
        -> WritePlan
    {
        var plan = WritePlan()
        guard let status else {
            plan.deletes = state.newest.prefix(1) + (state.nullVersion.map { [$0] } ?? [])
            plan.deletes = unique(plan.deletes)
            plan.master = plan.deletes.isEmpty ? .keep : .remove
            return plan
        }
        var marker = marker
        marker.isDeleteMarker = true
        marker.size = 0
        marker.locations = []
        if status == .enabled {
            marker.isNull = false
            marker.nullVersionID = state.nullVersion?.versionID
        } else {
            marker.isNull = true
            marker.nullVersionID = nil
            if let null = state.nullVersion { plan.deletes.append(null) }
        }
        plan.puts = [marker]
        plan.master = .remove
        plan.responseVersion = marker.isNull == true ? .null : .id(marker.versionID ?? "")
        plan.deleteMarker = true
        return plan
    }

    /// DeleteObject with a version ID: that version goes; if it was the latest, the master
    /// becomes the next version (or disappears when that is a delete marker or there is none).
    package static func planDeleteVersion(_ target: ObjectMD, state: KeyState, status: VersioningStatus?)
        -> WritePlan
    {
        var plan = WritePlan()
        plan.deletes = [target]
        if target.versionID == state.latest?.versionID {
            let next = state.newest.dropFirst().first
            if let next, next.isDeleteMarker != true {
                plan.master = .set(next)
            } else {
                plan.master = .remove
            }
        }
        plan.responseVersion = target.isNull == true ? .null : target.versionID.map { .id($0) }
        plan.deleteMarker = target.isDeleteMarker == true
        return plan
    }

    private static func unique(_ versions: [ObjectMD]) -> [ObjectMD] {
        var seen: Set<String> = []
        return versions.filter { seen.insert($0.versionID ?? "").inserted }
    }
}
