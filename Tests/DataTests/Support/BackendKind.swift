import Foundation
import HTTP

@testable import Data

/// The backends the conformance suite runs on.
enum BackendKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case file, mem
    /// On moto (`MotoPeer`); left out, with the reason printed, when moto cannot run.
    case awsS3
    /// On the Blob service stand-in (`AzurePeer`); left out likewise when it cannot run.
    case azure

    var description: String { rawValue }

    /// The kinds that can run here.
    static var available: [BackendKind] {
        [.file, .mem] + (MotoPeer.isAvailable ? [.awsS3] : []) + (AzurePeer.isAvailable ? [.azure] : [])
    }

    /// Whether a put of unknown size is stored (remote S3 needs the length first).
    var acceptsUnknownSize: Bool { self != .awsS3 }

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
        case .awsS3:
            // Remote names start with the fixture's own local bucket name (bucketMatch false).
            let bucket = "fixture-\(UUID().uuidString)"
            return BackendFixture(backend: MotoPeer.backend(), directory: nil, bucket: bucket) {
                MotoPeer.keys(prefix: bucket).count
            }
        case .azure:
            // Blob names start with the fixture's own local bucket name (bucketMatch false).
            // Uncommitted blocks of a failed write are not counted: they are invisible, and the
            // service discards them itself.
            let bucket = "fixture-\(UUID().uuidString)"
            return BackendFixture(backend: AzurePeer.backend(), directory: nil, bucket: bucket) {
                AzurePeer.blobs(prefix: bucket).count
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
    /// The local bucket its objects belong to.
    let bucket: String

    init(
        backend: any DataBackend, directory: TemporaryDirectory?, bucket: String = "tests",
        count: @escaping @Sendable () -> Int
    ) {
        self.backend = backend
        self.directory = directory
        self.bucket = bucket
        self.count = count
    }

    /// A new object of the fixture's bucket.
    func object() -> ObjectIdentity { ObjectIdentity(bucket: bucket, key: "object-\(UUID().uuidString)") }

    /// How many things the backend holds: 0 means nothing was left behind.
    var leftovers: Int { count() }

    /// Stores `bytes` with a declared size.
    func put(_ bytes: [UInt8]) throws -> DataLocation {
        try backend.put(BufferSource(bytes), size: Int64(bytes.count), object: object())
    }
}
