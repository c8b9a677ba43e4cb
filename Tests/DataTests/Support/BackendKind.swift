import Foundation
import HTTP

@testable import Data

/// The backends the conformance suite runs on.
enum BackendKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case file, mem

    var description: String { rawValue }

    /// A fresh, empty backend of this kind.
    func make() -> BackendFixture {
        switch self {
        case .file:
            let directory = TemporaryDirectory()
            let backend = FileBackend(root: directory.path + "/localData", locationName: "file-loc")
            return BackendFixture(backend: backend, directory: directory) {
                let temporary = directory.files(in: "localData/.tmp").count
                let stored = (try? backend.storedKeys().count) ?? -1
                return temporary + stored
            }
        case .mem:
            let backend = MemBackend(locationName: "mem-loc", capacityBytes: 64 << 20)
            return BackendFixture(backend: backend, directory: nil) {
                backend.objectCount + (backend.usedBytes > 0 ? 1 : 0)
            }
        }
    }
}

/// A backend under test and a way to count what it holds (stored pieces plus, for the file
/// backend, temp files; for the mem backend, reserved bytes).
final class BackendFixture: Sendable {
    let backend: any DataBackend
    private let directory: TemporaryDirectory?
    private let count: @Sendable () -> Int

    init(backend: any DataBackend, directory: TemporaryDirectory?, count: @escaping @Sendable () -> Int) {
        self.backend = backend
        self.directory = directory
        self.count = count
    }

    /// How many things the backend holds: 0 means nothing was left behind.
    var leftovers: Int { count() }

    /// Stores `bytes` with a declared size.
    func put(_ bytes: [UInt8]) throws -> DataLocation {
        try backend.put(BufferSource(bytes), size: Int64(bytes.count), object: .unique())
    }
}
