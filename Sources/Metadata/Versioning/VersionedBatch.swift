/// The calls of one request on one key (docs 7.1.3's PUT and DELETE options), turned into one
/// atomic batch, with what the batch stores and removes.
package struct VersionedBatch<Record: VersionedRecord>: Sendable {
    /// One operation per storage key touched (its final state), in the order first touched.
    package var operations: [MetadataOperation] = []
    /// Per call, the `versionId` it stored its record under ("all operations (PUT and
    /// DELETE) that generate a new version of an object will return the version_id of the
    /// new version"); nil for deletes and for PUTs without options.
    package var versionIDs: [String?] = []
    /// Every record the batch stores, as stored (with its `versionId`).
    package var written: [Record] = []
    /// Every record the batch overwrites or deletes; its data is garbage once no record of
    /// `after` refers to it.
    package var replaced: [Record] = []
    /// The key once the batch is applied.
    package var after: VersionedKey<Record>
}

extension VersionedKey {
    /// Applies `calls` in order to what is stored for the key, as the manual's metadata engine
    /// would one by one, and returns the single batch with the same effect. Pure: version IDs
    /// come from `newVersionID`.
    ///
    /// - `put(r, .none)`: the master becomes `r`.
    /// - `put(r, .versioning)`: `r` gets a new ID and goes to its version key; the master
    ///   becomes `r` (or goes, when `r` is a delete marker).
    /// - `put(r, .versionID(""))`: `r` gets a new ID and becomes the master only; a delete
    ///   marker cannot be a master here, so it goes to its version key and the master goes.
    /// - `put(r, .versionID(id))`: `r` is stored at version `id`; the master becomes `r` when
    ///   there is none or it is not newer than `id` (older IDs are greater).
    /// - `delete(.none)`: the master goes.
    /// - `delete(.versionID(id))`: version `id` goes; when it was the latest, the master
    ///   becomes the next newest version, or goes when that is a delete marker or there is
    ///   none. This is the manual's placeholder-then-repair done in the same batch.
    ///
    /// Precondition: the versions a call names or needs for a repair were read (`load` with
    /// enough depth, `loadVersions`).
    package func plan(_ calls: [MetadataCall<Record>], namespace: String, newVersionID: () -> String)
        -> VersionedBatch<Record>
    {
        var builder = BatchBuilder(state: self, namespace: namespace)
        for call in calls {
            builder.batch.versionIDs.append(builder.apply(call, newVersionID: newVersionID))
        }
        return builder.finish()
    }
}

/// The state of a batch being planned: the key as the calls so far leave it.
private struct BatchBuilder<Record: VersionedRecord> {
    var state: VersionedKey<Record>
    let namespace: String
    var batch: VersionedBatch<Record>
    private var order: [[UInt8]] = []
    private var final: [[UInt8]: MetadataOperation] = [:]

    init(state: VersionedKey<Record>, namespace: String) {
        self.state = state
        self.namespace = namespace
        self.batch = VersionedBatch(after: state)
    }

    /// Applies one call; returns the version ID it stored its record under.
    mutating func apply(_ call: MetadataCall<Record>, newVersionID: () -> String) -> String? {
        switch call {
        case .put(let record, .none):
            precondition(!record.deleteMarker, "a delete marker needs a version key")
            setMaster(record)
            return nil
        case .put(var record, .versioning):
            let id = newVersionID()
            record.versionID = id
            putVersion(record)
            setMaster(record)
            return id
        case .put(var record, .versionID(let id)) where id.isEmpty:
            let id = newVersionID()
            record.versionID = id
            if record.deleteMarker {
                putVersion(record)
                setMaster(nil)
            } else {
                setMaster(record)
            }
            return id
        case .put(var record, .versionID(let id)):
            record.versionID = id
            let latest = state.latest
            putVersion(record)
            if latest == nil || !VersionedKey<Record>.precedes(latest?.versionID ?? "", id) {
                setMaster(record)
            }
            return id
        case .delete(.none):
            setMaster(nil)
            return nil
        case .delete(.versionID(let id)):
            let wasLatest = state.latest?.versionID == id
            removeVersion(id)
            if wasLatest {
                precondition(state.newestRun > 0 || state.runIsComplete, "repair needs the next version")
                setMaster(state.newestRun > 0 ? state.versions[0] : nil)
            }
            return nil
        }
    }

    func finish() -> VersionedBatch<Record> {
        var batch = batch
        batch.operations = order.compactMap { final[$0] }
        batch.after = state
        return batch
    }

    /// The master becomes `record`; none when nil or a delete marker.
    private mutating func setMaster(_ record: Record?) {
        let key = VersionedLayout.masterKey(state.key)
        if let record, !record.deleteMarker {
            if let old = state.master { batch.replaced.append(old) }
            state.master = record
            batch.written.append(record)
            emit(.put(namespace: namespace, key: key, value: record.storedBytes()))
        } else if let old = state.master {
            batch.replaced.append(old)
            state.master = nil
            emit(.delete(namespace: namespace, key: key))
        }
    }

    /// Stores `record` at its version key, replacing what was there.
    private mutating func putVersion(_ record: Record) {
        let id = record.versionID ?? ""
        let run = state.newestRun
        if let i = state.versions.firstIndex(where: { $0.versionID == id }) {
            batch.replaced.append(state.versions[i])
            state.versions[i] = record
        } else {
            let at =
                state.versions.firstIndex { !VersionedKey<Record>.precedes($0.versionID ?? "", id) }
                ?? state.versions.count
            state.versions.insert(record, at: at)
            if at < run || (at == run && state.runIsComplete) { state.newestRun += 1 }
        }
        batch.written.append(record)
        emit(
            .put(
                namespace: namespace, key: VersionedLayout.versionKey(state.key, id),
                value: record.storedBytes()))
    }

    /// Deletes version `id` if it is (or may be) stored.
    private mutating func removeVersion(_ id: String) {
        if let i = state.versions.firstIndex(where: { $0.versionID == id }) {
            batch.replaced.append(state.versions.remove(at: i))
            if i < state.newestRun { state.newestRun -= 1 }
        } else if state.provablyAbsent(id) {
            return
        }
        emit(.delete(namespace: namespace, key: VersionedLayout.versionKey(state.key, id)))
    }

    private mutating func emit(_ operation: MetadataOperation) {
        let key: [UInt8]
        switch operation {
        case .put(_, let k, _), .delete(_, let k): key = k
        }
        if final[key] == nil { order.append(key) }
        final[key] = operation
    }
}
