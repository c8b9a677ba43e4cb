import HTTP
import Testing

@testable import Data

/// What only the mem backend does: its capacity.
@Suite("MemBackend")
struct MemBackendTests {
    @Test(
        "a put past the capacity throws insufficientStorage and keeps nothing", arguments: [Int64(3000), nil])
    func capacityExceeded(declared: Int64?) throws {
        let backend = MemBackend(locationName: "mem", capacityBytes: 2500)
        let first = try backend.put(BufferSource(randomBytes(1000)), size: 1000, object: .unique())
        #expect(
            dataErrorKind {
                _ = try backend.put(BufferSource(randomBytes(3000)), size: declared, object: .unique())
            }
                == .insufficientStorage)
        #expect(backend.usedBytes == 1000)
        #expect(backend.objectCount == 1)
        #expect(try drain(backend.get(first, range: nil)).count == 1000)
    }

    @Test("a put that fits exactly is accepted, and a delete frees its capacity")
    func capacityFreedByDelete() throws {
        let backend = MemBackend(locationName: "mem", capacityBytes: 1000)
        let location = try backend.put(BufferSource(randomBytes(1000)), size: nil, object: .unique())
        #expect(
            dataErrorKind { _ = try backend.put(BufferSource([1]), size: 1, object: .unique()) }
                == .insufficientStorage)
        try backend.delete(location)
        #expect(backend.usedBytes == 0)
        _ = try backend.put(BufferSource(randomBytes(1000)), size: 1000, object: .unique())
    }

    @Test("a reader keeps streaming data deleted under it")
    func readAfterDelete() throws {
        let backend = MemBackend(locationName: "mem", capacityBytes: 1 << 20)
        let bytes = randomBytes(5000)
        let location = try backend.put(BufferSource(bytes), size: 5000, object: .unique())
        let source = try backend.get(location, range: 10...4009)
        try backend.delete(location)
        #expect(try drain(source) == Array(bytes[10...4009]))
    }

    @Test("the healthcheck reports used and total capacity")
    func health() throws {
        let backend = MemBackend(locationName: "mem", capacityBytes: 100)
        _ = try backend.put(BufferSource(randomBytes(42)), size: 42, object: .unique())
        #expect(backend.healthcheck() == BackendHealth(ok: true, detail: "42 of 100 bytes used"))
    }
}
