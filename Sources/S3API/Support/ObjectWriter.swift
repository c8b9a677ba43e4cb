import Data
import HTTP
import Metadata

extension RequestContext {
    /// Frees data no committed metadata references any more. Failures only leave orphans,
    /// which the startup sweep removes, so they are logged, not thrown.
    func freeData(_ locations: [DataLocation]) {
        for location in locations {
            do {
                guard service.gateway.backend(for: location.location) != nil else { continue }
                try service.gateway.delete(location)
            } catch {
                service.logger.warning(
                    "could not free data", metadata: ["key": "\(location.key)", "error": "\(error)"])
            }
        }
    }

    /// Runs read-plan-commit on one key under its lock: `plan` sees what is stored for the key
    /// and returns the manual's metadata calls; the metadata layer turns them into one atomic
    /// batch (giving new versions their IDs), which is committed, then the data no record
    /// refers to any more is freed. `extra` joins the batch (multipart completion removes the
    /// upload's records in it). With `collectReplaced`, replaced remote versions are left to
    /// the service's `DataCollector` (overwrites: the client does not wait for those deletes).
    @discardableResult
    func changeKey(
        _ key: String, bucket: BucketInfo, extra: [MetadataOperation] = [], collectReplaced: Bool = false,
        _ plan: (VersionedKey<ObjectMD>) throws(S3Error) -> Versioning.WritePlan
    ) throws(S3Error) -> Versioning.Outcome {
        let collector = service.collector
        let (result, free, deferred) = try service.locks.withLock(bucket: bucket.uid, key: key) {
            () throws(S3Error) -> (Versioning.Outcome, [DataLocation], [DataLocation]) in
            var state = try ObjectCatalog.loadKey(store, bucket: bucket, key: key)
            let planned = try plan(state)
            let namespace = BucketCatalog.objectNamespace(bucket)
            do {
                try state.loadVersions(
                    Versioning.versionIDs(named: planned.calls), from: store, namespace: namespace)
            } catch {
                throw S3Error(error)
            }
            let batch = state.plan(planned.calls, namespace: namespace, newVersionID: service.versionIDs.next)
            let (operations, free, deferred) = ObjectCatalog.operations(
                for: batch, deferring: { collectReplaced && collector.accepts($0) })
            let all = operations + extra
            if !all.isEmpty { try commit(all, into: bucket) }
            return (Versioning.Outcome(planned, batch), free, deferred)
        }
        freeData(free)
        collector.enqueue(deferred)
        return result
    }

    /// Makes `md` the newest version of its key (PutObject, CopyObject,
    /// CompleteMultipartUpload) with the bucket's versioning rules. Its modification time is
    /// set under the key's lock, so versions sort in commit order. `check` runs under the lock
    /// with the current master, for conditions that must hold at commit time. When `check` or
    /// the commit fails, the new data is freed, unless `ownsData` is false (multipart
    /// completion: the data still belongs to the upload's parts). `extra` joins the batch.
    @discardableResult
    func commitObject(
        _ md: ObjectMD, bucket: BucketInfo, extra: [MetadataOperation] = [], ownsData: Bool = true,
        check: (ObjectMD?) throws(S3Error) -> Void = { _ in }
    ) throws(S3Error) -> Versioning.Outcome {
        do {
            return try changeKey(md.key, bucket: bucket, extra: extra, collectReplaced: true) {
                state throws(S3Error) in
                try check(state.master)
                var object = md
                object.lastModified = HTTPDate.nowMilliseconds()
                return Versioning.planPut(
                    object, latest: state.latest, status: bucket.versioning,
                    nonVersionedID: VersionID.nonVersioned(
                        replicationGroupID: service.configuration.replicationGroupID))
            }
        } catch {
            if ownsData { freeData(md.locations) }
            throw error
        }
    }

    /// Adds `x-amz-version-id` (and `x-amz-delete-marker`) for a change's response.
    func addVersionHeaders(_ outcome: Versioning.Outcome, to headers: inout HTTPHeaders) {
        if let version = outcome.responseVersion { headers.add(S3Header.versionID, encode(version)) }
        if outcome.deleteMarker { headers.add(S3Header.deleteMarker, "true") }
    }

    /// A response version as clients see it.
    func encode(_ version: Versioning.ResponseVersion) -> String {
        switch version {
        case .null: "null"
        case .id(let raw): VersionID.encode(raw)
        }
    }
}
