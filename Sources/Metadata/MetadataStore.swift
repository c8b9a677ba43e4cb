/// An ordered key-value store of metadata, split in namespaces (one per bucket, plus the
/// server's own: the bucket list, data references).
///
/// Keys are byte strings compared bytewise (memcmp order, shorter first on a common prefix).
/// Values are opaque bytes (JSON records). Every implementation passes
/// `MetadataStoreConformance`; nothing here is specific to SQLite, so a distributed engine
/// (PostgreSQL, ...) can implement it later.
package protocol MetadataStore: Sendable {
    /// The value at `key`, or nil.
    func get(_ namespace: String, _ key: [UInt8]) throws(MetadataError) -> [UInt8]?

    /// Applies every operation of `batch` atomically and durably: when this returns, the batch
    /// survives `kill -9` and power loss; when it throws, none of it was applied.
    func commit(_ batch: [MetadataOperation]) throws(MetadataError)

    /// Visits the entries of `namespace` in key order, starting at the first key >= `start`
    /// and stopping before `end` (exclusive; nil = to the end of the namespace). `visit` says
    /// whether to go on, jump ahead, or stop. Reads a consistent snapshot per call.
    func scan(
        _ namespace: String, from start: [UInt8], to end: [UInt8]?,
        _ visit: (_ key: [UInt8], _ value: [UInt8]) throws -> ScanStep
    ) throws

    /// Removes every entry of `namespace` (bucket deletion), durably.
    func dropNamespace(_ namespace: String) throws(MetadataError)
}

/// One change of an atomic batch.
package enum MetadataOperation: Sendable, Equatable {
    case put(namespace: String, key: [UInt8], value: [UInt8])
    case delete(namespace: String, key: [UInt8])
}

/// What a scan does after visiting an entry.
package enum ScanStep: Sendable, Equatable {
    /// The next entry in order.
    case next
    /// The first entry with key >= this one (must be greater than the current key).
    case seek([UInt8])
    /// End the scan.
    case stop
}

/// Failures of a metadata store.
package enum MetadataError: Error, Equatable, CustomStringConvertible {
    /// The store file is unreadable, not a database, or fails its integrity check.
    case corrupt(String)
    /// Disk full, I/O error, or another failure of the engine; carries its message.
    case io(String)
    /// The store has been closed.
    case closed

    package var description: String {
        switch self {
        case .corrupt(let detail): "metadata store unusable: \(detail)"
        case .io(let detail): "metadata store I/O error: \(detail)"
        case .closed: "metadata store closed"
        }
    }
}

extension MetadataStore {
    /// Puts one value durably.
    package func put(_ namespace: String, _ key: [UInt8], _ value: [UInt8]) throws(MetadataError) {
        try commit([.put(namespace: namespace, key: key, value: value)])
    }

    /// Deletes one key durably (no error when absent).
    package func delete(_ namespace: String, _ key: [UInt8]) throws(MetadataError) {
        try commit([.delete(namespace: namespace, key: key)])
    }

    /// Up to `limit` entries from `start` whose keys begin with `prefix`, in order.
    package func list(
        _ namespace: String, prefix: [UInt8] = [], from start: [UInt8] = [], limit: Int
    ) throws -> [(key: [UInt8], value: [UInt8])] {
        var out: [(key: [UInt8], value: [UInt8])] = []
        if limit <= 0 { return out }
        let begin = start.lexicographicallyPrecedes(prefix) ? prefix : start
        try scan(namespace, from: begin, to: prefixEnd(prefix)) { key, value in
            out.append((key, value))
            return out.count >= limit ? .stop : .next
        }
        return out
    }
}

/// The smallest key greater than every key starting with `prefix`; nil when there is none
/// (empty prefix or all 0xFF).
package func prefixEnd(_ prefix: [UInt8]) -> [UInt8]? {
    var end = prefix
    while let last = end.last {
        if last < 0xFF {
            end[end.count - 1] = last + 1
            return end
        }
        end.removeLast()
    }
    return nil
}
