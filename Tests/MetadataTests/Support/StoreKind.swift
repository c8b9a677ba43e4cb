import Foundation
import Testing

@testable import Metadata

/// Every `MetadataStore` implementation, for `@Test(arguments:)` conformance tables.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case memory

    var testDescription: String { rawValue }

    /// A fresh, empty store of this kind; SQLite lives in a new temporary directory.
    func make(limits: MetadataLimits = MetadataLimits()) throws -> any MetadataStore {
        switch self {
        case .sqlite:
            let directory = TemporaryDirectory()
            return StoreInDirectory(
                store: try SQLiteStore(directory: directory.path, limits: limits), directory: directory)
        case .memory:
            return MemoryStore(limits: limits)
        }
    }
}

/// A store that keeps the temporary directory holding its files alive as long as itself.
final class StoreInDirectory: MetadataStore {
    let store: SQLiteStore
    let directory: TemporaryDirectory

    init(store: SQLiteStore, directory: TemporaryDirectory) {
        self.store = store
        self.directory = directory
    }

    deinit { store.close() }

    func get(_ namespace: String, _ key: [UInt8]) throws(MetadataError) -> [UInt8]? {
        try store.get(namespace, key)
    }

    func commit(_ batch: [MetadataOperation]) throws(MetadataError) { try store.commit(batch) }

    func scan(
        _ namespace: String, from start: [UInt8], to end: [UInt8]?,
        _ visit: (_ key: [UInt8], _ value: [UInt8]) throws -> ScanStep
    ) throws {
        try store.scan(namespace, from: start, to: end, visit)
    }

    func dropNamespace(_ namespace: String) throws(MetadataError) { try store.dropNamespace(namespace) }
}

/// A directory under the system temporary directory, deleted with its content on deinit.
final class TemporaryDirectory: Sendable {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "metadata-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Bytes of a string, for short test keys.
func b(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Every entry of a namespace, in scan order.
func everything(_ store: any MetadataStore, _ namespace: String) throws -> [[UInt8]] {
    var keys: [[UInt8]] = []
    try store.scan(namespace, from: [], to: nil) { key, _ in
        keys.append(key)
        return .next
    }
    return keys
}

/// Runs `body(i)` for i in 0..<count, each on its own thread, and waits for all.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let threads = (0..<count).map { index in NativeThread { body(index) } }
    for thread in threads { thread.join() }
}
