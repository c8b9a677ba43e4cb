/// What is stored for one object key (see `VersionedLayout`): its master and the version
/// records the metadata layer has read, the input of `plan`.
package struct VersionedKey<Record: VersionedRecord>: Sendable {
    package let key: String
    /// The master record ("M" key), nil when absent.
    package var master: Record?
    /// Version records known, newest first: the key's `newestRun` newest versions without a
    /// gap, then any version read by ID (`loadVersions`).
    package var versions: [Record]
    /// How many records at the head of `versions` are the key's newest versions, gap-free.
    package var newestRun: Int
    /// Whether that run is every version of the key.
    package var runIsComplete: Bool

    /// A key whose records are all given: `master` and every version (any order).
    package init(key: String, master: Record? = nil, versions: [Record] = []) {
        self.key = key
        self.master = master
        self.versions = versions.sorted { Self.precedes($0.versionID ?? "", $1.versionID ?? "") }
        self.newestRun = versions.count
        self.runIsComplete = true
    }

    /// The manual's "master version": the latest version of the key, a delete marker
    /// included. This layout keeps no master when the latest is a delete marker, and a master
    /// without a version record is newer than every version, so it is the master if there
    /// is one, else the newest version.
    package var latest: Record? { master ?? (newestRun > 0 ? versions.first : nil) }

    /// The version record `id`, if it was read.
    package func version(_ id: String) -> Record? {
        versions.first { $0.versionID == id }
    }

    /// Reads the master and the `depth` newest versions of `key`. A batch of calls that
    /// deletes the latest version twice needs `depth` of at least 3 to repair the master.
    package static func load(_ store: any MetadataStore, namespace: String, key: String, depth: Int = 3)
        throws(MetadataError) -> Self
    {
        var state = Self(key: key)
        try mapped { () throws in
            if let bytes = try store.get(namespace, VersionedLayout.masterKey(key)) {
                state.master = try Record(storedBytes: bytes)
            }
            for entry in try store.list(namespace, prefix: VersionedLayout.versionPrefix(key), limit: depth) {
                state.versions.append(try Record(storedBytes: entry.value))
            }
        }
        state.newestRun = state.versions.count
        state.runIsComplete = state.versions.count < depth
        return state
    }

    /// Reads the versions `ids` that are not known yet, so that a batch deleting or replacing
    /// them knows what it removes.
    package mutating func loadVersions(_ ids: [String], from store: any MetadataStore, namespace: String)
        throws(MetadataError)
    {
        for id in ids where version(id) == nil && !provablyAbsent(id) {
            let bytes = try store.get(namespace, VersionedLayout.versionKey(key, id))
            guard let bytes else { continue }
            let record = try Record(storedBytes: bytes)
            let at = versions.firstIndex { !Self.precedes($0.versionID ?? "", id) } ?? versions.count
            versions.insert(record, at: at)
        }
    }

    /// Whether version `id` cannot exist: it would sort inside the gap-free newest run, which
    /// does not hold it.
    func provablyAbsent(_ id: String) -> Bool {
        if runIsComplete { return true }
        guard newestRun > 0, let last = versions[newestRun - 1].versionID else { return false }
        return Self.precedes(id, last)
    }

    /// Byte order of version IDs (newest first).
    static func precedes(_ a: String, _ b: String) -> Bool {
        compareBytes(Array(a.utf8), Array(b.utf8)) < 0
    }

    private static func mapped(_ body: () throws -> Void) throws(MetadataError) {
        do {
            try body()
        } catch let error as MetadataError {
            throw error
        } catch {
            throw .io("\(error)")
        }
    }
}
