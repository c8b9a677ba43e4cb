import Locks
import Synchronization

/// The `MetadataStore` of `S3BACKEND=mem`: the same semantics as `SQLiteStore`, in memory.
///
/// One `SortedChunks` per namespace behind one mutex. A batch is checked in full before any of
/// it is applied, so a failing batch changes nothing. A scan copies the namespace's
/// `SortedChunks` under the lock (cheap: the chunks are shared copy-on-write) and walks that
/// snapshot outside it, so a slow `visit` never holds writers up and sees one consistent state.
package final class MemoryStore: MetadataStore {
    private let namespaces = Locked<[String: SortedChunks]>([:])
    private let limits: MetadataLimits

    package init(limits: MetadataLimits = MetadataLimits()) {
        self.limits = limits
    }

    package func get(_ namespace: String, _ key: [UInt8]) throws(MetadataError) -> [UInt8]? {
        namespaces.withLock { $0[namespace]?.value(for: key) }
    }

    package func commit(_ batch: [MetadataOperation]) throws(MetadataError) {
        for case .put(_, let key, let value) in batch {
            try limits.check(key: key, value: value)
        }
        namespaces.withLock { namespaces in
            for operation in batch {
                switch operation {
                case .put(let namespace, let key, let value):
                    namespaces[namespace, default: SortedChunks()].set(key, value)
                case .delete(let namespace, let key):
                    namespaces[namespace]?.remove(key)
                    if namespaces[namespace]?.isEmpty == true { namespaces[namespace] = nil }
                }
            }
        }
    }

    package func dropNamespace(_ namespace: String) throws(MetadataError) {
        _ = namespaces.withLock { $0.removeValue(forKey: namespace) }
    }

    package func scan(
        _ namespace: String, from start: [UInt8], to end: [UInt8]?,
        _ visit: (_ key: [UInt8], _ value: [UInt8]) throws -> ScanStep
    ) throws {
        guard let snapshot = namespaces.withLock({ $0[namespace] }) else { return }
        var position = snapshot.position(atOrAfter: start)
        while let entry = snapshot.entry(at: position) {
            if let end, compareBytes(entry.key, end) >= 0 { return }
            switch try visit(entry.key, entry.value) {
            case .next:
                position = snapshot.advance(position)
            case .stop:
                return
            case .seek(let target):
                position =
                    compareBytes(target, entry.key) > 0
                    ? snapshot.position(atOrAfter: target) : snapshot.advance(position)
            }
        }
    }
}
