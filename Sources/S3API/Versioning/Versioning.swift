import Metadata

/// The versioning rules of docs section 7.1.4 as a pure planner: from the latest version of a
/// key and the bucket's versioning state to the calls the manual's API makes to the metadata
/// layer (PUT with no options, `versioning: true` or `versionId`, DELETE with or without
/// `versionId`). No I/O; `VersionedKey.plan` turns the calls into one atomic batch and
/// `RequestContext.changeKey` commits it.
package enum Versioning {
    /// What the planner reads of the latest version (the manual's "master version"; the
    /// original's `getMasterState`).
    package struct MasterState: Sendable, Equatable {
        package var exists = false
        package var versionID: String?
        /// A null version: `isNull` is set, or there is no `versionId` ("a null version that
        /// was put before bucket versioning was configured", docs 7.1.4 Case 2).
        package var isNull = false
        package var nullVersionID: String?
        package var isDeleteMarker = false

        package init(_ latest: ObjectMD?) {
            guard let latest else { return }
            exists = true
            versionID = latest.versionID
            isNull = latest.isNull == true || latest.versionID == nil
            nullVersionID = latest.nullVersionID
            isDeleteMarker = latest.isDeleteMarker == true
        }
    }

    /// The version a response names.
    package enum ResponseVersion: Equatable, Sendable {
        case null
        case id(String)
    }

    /// What a response's `x-amz-version-id` names once the plan is applied.
    package enum Answer: Equatable, Sendable {
        /// No header (a never-versioned bucket).
        case none
        case null
        case id(String)
        /// The version the last call created, whose ID the metadata layer chose.
        case created
    }

    /// The changes of one request on one key.
    package struct WritePlan: Sendable {
        /// The metadata calls, in the manual's order; one batch.
        package var calls: [MetadataCall<ObjectMD>] = []
        package var answer = Answer.none
        /// Whether the response says `x-amz-delete-marker: true`.
        package var deleteMarker = false
    }

    /// The version a record is, as a response names it; nil when the bucket's versioning was
    /// never configured.
    package static func responseVersion(of md: ObjectMD, status: VersioningStatus?) -> ResponseVersion? {
        guard status != nil else { return nil }
        guard md.isNull != true, let id = md.versionID else { return .null }
        return .id(id)
    }

    /// PutObject, CompleteMultipartUpload, CopyObject (the manual's "PUT Example"):
    /// - never configured: the master is overwritten (PUT without options);
    /// - suspended: the current null version is deleted (the null master by its `versionId`,
    ///   or the version the master's `nullVersionId` names), then the object becomes the
    ///   master only, as the new null version (PUT `versionId: ''`, Cases 1 and 3);
    /// - enabled: a null master is first stored at its own version key, under its
    ///   `versionId` or the non-versioned object ID (Case 2, 3A), then the object is a new
    ///   version (PUT `versioning: true`, 3B) remembering the null version in `nullVersionId`.
    /// `nonVersionedID` is `VersionID.nonVersioned(replicationGroupID:)`.
    package static func planPut(
        _ object: ObjectMD, latest: ObjectMD?, status: VersioningStatus?, nonVersionedID: String
    ) -> WritePlan {
        var object = object
        object.versionID = nil
        var plan = WritePlan()
        let master = MasterState(latest)
        switch status {
        case nil:
            object.isNull = nil
            object.nullVersionID = nil
            plan.calls = deleteNullVersion(master) + [.put(object, .none)]
        case .suspended:
            object.isNull = true
            object.nullVersionID = nil
            plan.calls = deleteNullVersion(master) + [.put(object, .versionID(""))]
            plan.answer = .null
        case .enabled:
            object.isNull = nil
            if master.isNull, var null = latest {
                let id = master.versionID ?? nonVersionedID
                null.isNull = true
                plan.calls.append(.put(null, .versionID(id)))
                object.nullVersionID = id
            } else {
                object.nullVersionID = master.nullVersionID
            }
            plan.calls.append(.put(object, .versioning))
            plan.answer = .created
        }
        return plan
    }

    /// The clean-up before a new null version: "If the master version is a null version,
    /// Zenko CloudServer also sends a DELETE call to metadata prior to the PUT, in order to
    /// clean up any pre-existing null versions which may ... have been stored as a separate
    /// version" (Case 1, 2A); otherwise the version the master's `nullVersionId` names (Case
    /// 3, 4A). A null master without `versionId` is simply overwritten.
    private static func deleteNullVersion(_ master: MasterState) -> [MetadataCall<ObjectMD>] {
        guard master.exists else { return [] }
        let id = master.isNull ? master.versionID : master.nullVersionID
        return id.map { [.delete(.versionID($0))] } ?? []
    }

    /// DeleteObject without a version ID ("DELETE Example"): never configured, the object is
    /// deleted (its master; a null version of format 1 also has a version key, deleted by
    /// ID); otherwise a delete marker, a 0-byte version with `isDeleteMarker: true`, created
    /// by the same rules as a PUT.
    package static func planDelete(
        _ marker: ObjectMD, latest: ObjectMD?, status: VersioningStatus?, nonVersionedID: String
    ) -> WritePlan {
        guard status != nil else {
            var plan = WritePlan()
            if let latest {
                plan.calls = [.delete(latest.versionID.map { .versionID($0) } ?? .none)]
            }
            return plan
        }
        var marker = marker
        marker.isDeleteMarker = true
        marker.size = 0
        marker.locations = []
        var plan = planPut(marker, latest: latest, status: status, nonVersionedID: nonVersionedID)
        plan.deleteMarker = true
        return plan
    }

    /// DeleteObject with a version ID: that version goes (DELETE `versionId`; the metadata
    /// layer repairs the master when it was the latest). A null version without `versionId`
    /// is a master alone: plain DELETE. The response names the version deleted and whether
    /// it was a delete marker.
    package static func planDeleteVersion(_ target: ObjectMD) -> WritePlan {
        var plan = WritePlan()
        plan.calls = [.delete(target.versionID.map { .versionID($0) } ?? .none)]
        plan.answer = target.isNull == true || target.versionID == nil ? .null : .id(target.versionID ?? "")
        plan.deleteMarker = target.isDeleteMarker == true
        return plan
    }
}
