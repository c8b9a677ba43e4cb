import Data
import HTTP
import Metadata

extension RequestContext {
    /// Frees data no committed metadata references any more. Failures only leave orphans,
    /// which the startup sweep removes, so they are logged, not thrown.
    func freeData(_ locations: [DataLocation]) {
        for location in locations {
            do {
                try service.gateway.backend(for: location.location)?.delete(location)
            } catch {
                service.logger.warning(
                    "could not free data", metadata: ["key": "\(location.key)", "error": "\(error)"])
            }
        }
    }

    /// Runs read-plan-commit on one key under its lock: `plan` sees what is stored for the key
    /// and returns the changes; they are committed in one atomic batch, then the data of the
    /// versions they removed is freed. `extra` joins the batch (multipart completion removes
    /// the upload's records in it).
    @discardableResult
    func changeKey(
        _ key: String, bucket: BucketInfo, extra: [MetadataOperation] = [],
        _ plan: (Versioning.KeyState) throws(S3Error) -> Versioning.WritePlan
    ) throws(S3Error) -> Versioning.WritePlan {
        let (result, free) = try service.locks.withLock(bucket: bucket.uid, key: key) {
            () throws(S3Error) -> (Versioning.WritePlan, [DataLocation]) in
            let state = try ObjectCatalog.loadState(store, bucket: bucket, key: key)
            let result = try plan(state)
            let (planned, free) = try ObjectCatalog.operations(for: result, key: key, bucket: bucket)
            let batch = planned + extra
            if !batch.isEmpty { try commit(batch, into: bucket) }
            // On a remote bucket without versioning, a rewrite of a name reuses the data's
            // name: what the new version points at must not be freed with the old one.
            let name: (DataLocation) -> [String] = { [$0.location, $0.key, $0.dataStoreVersionID ?? ""] }
            let kept = Set(result.puts.flatMap(\.locations).map(name))
            return (result, free.filter { !kept.contains(name($0)) })
        }
        freeData(free)
        return result
    }

    /// Makes `md` the newest version of its key (PutObject, CopyObject,
    /// CompleteMultipartUpload) with the bucket's versioning rules. Its version ID and
    /// modification time are set under the key's lock, so versions sort in commit order.
    /// `check` runs under the lock with the current master, for conditions that must hold at
    /// commit time. When `check` or the commit fails, the new data is freed, unless `ownsData`
    /// is false (multipart completion: the data still belongs to the upload's parts). `extra`
    /// joins the batch.
    @discardableResult
    func commitObject(
        _ md: ObjectMD, bucket: BucketInfo, extra: [MetadataOperation] = [], ownsData: Bool = true,
        check: (ObjectMD?) throws(S3Error) -> Void = { _ in }
    ) throws(S3Error) -> Versioning.WritePlan {
        do {
            return try changeKey(md.key, bucket: bucket, extra: extra) { state throws(S3Error) in
                let latest = state.latest?.isDeleteMarker == true ? nil : state.latest
                try check(latest)
                var object = md
                object.versionID = VersionID.generate(
                    replicationGroupID: service.configuration.replicationGroupID)
                object.lastModified = HTTPDate.nowMilliseconds()
                return Versioning.planPut(object, state: state, status: bucket.versioning)
            }
        } catch {
            if ownsData { freeData(md.locations) }
            throw error
        }
    }

    /// Adds `x-amz-version-id` (and `x-amz-delete-marker`) for a plan's response.
    func addVersionHeaders(_ plan: Versioning.WritePlan, to headers: inout HTTPHeaders) {
        if let version = plan.responseVersion { headers.add(S3Header.versionID, encode(version)) }
        if plan.deleteMarker { headers.add(S3Header.deleteMarker, "true") }
    }

    /// A response version as clients see it.
    func encode(_ version: Versioning.ResponseVersion) -> String {
        switch version {
        case .null: "null"
        case .id(let raw): VersionID.encode(raw, service.configuration.versionIDEncoding)
        }
    }
}
