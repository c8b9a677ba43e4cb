import HTTP
import Locks
import Synchronization

/// Object data in process memory, for `S3BACKEND=mem` and tests. Lost at exit.
///
/// Bytes are counted against `capacityBytes` as the body streams in (puts in progress hold a
/// reservation), so a put past the cap fails with `insufficientStorage` without buffering more
/// than the cap allows.
package final class MemBackend: DataBackend {
    /// The location name put into every `DataLocation` this backend returns.
    package let locationName: String
    /// The most bytes stored (and reserved by puts in progress) at once.
    package let capacityBytes: Int64

    /// Bytes read from the body per call.
    static let chunkSize = 64 * 1024

    private struct State {
        var objects: [String: MemBlob] = [:]
        /// Stored plus reserved bytes.
        var usedBytes: Int64 = 0
    }

    private let state = Locked(State())

    /// An empty backend that holds at most `capacityBytes` bytes.
    package init(locationName: String, capacityBytes: Int64) {
        self.locationName = locationName
        self.capacityBytes = capacityBytes
    }

    /// Stored bytes, plus those reserved by puts in progress.
    package var usedBytes: Int64 { state.withLock { $0.usedBytes } }

    /// How many pieces of data are stored.
    package var objectCount: Int { state.withLock { $0.objects.count } }

    /// Reads the whole body into memory, reserving capacity chunk by chunk.
    /// - Throws: `insufficientStorage` past the cap, `source` when `body.read` fails,
    ///   `sizeMismatch` when `size` is given and the body is shorter or longer.
    package func put(_ body: any ByteSource, size: Int64?, object: ObjectIdentity) throws(DataError)
        -> DataLocation
    {
        var reserved: Int64 = 0
        var stored = false
        defer { if !stored { release(reserved) } }
        var bytes: [UInt8] = []
        if let size {
            guard size <= capacityBytes - usedBytes else { throw .insufficientStorage }
            bytes.reserveCapacity(Int(size))
        }
        var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
        while true {
            let n: Int
            do {
                n = try chunk.withUnsafeMutableBytes { try body.read(into: $0) }
            } catch {
                throw .source(error)
            }
            if n == 0 { break }
            let total = Int64(bytes.count + n)
            if let size, total > size { throw .sizeMismatch(expected: size, actual: total) }
            try reserve(Int64(n))
            reserved += Int64(n)
            bytes.append(contentsOf: chunk[0..<n])
        }
        if let size, Int64(bytes.count) != size {
            throw .sizeMismatch(expected: size, actual: Int64(bytes.count))
        }
        let key = RandomKey.make()
        state.withLock { $0.objects[key] = MemBlob(bytes) }
        stored = true
        return DataLocation(location: locationName, key: key, size: Int64(bytes.count))
    }

    /// A source over the stored bytes of `location` (or `range` of them); no copy is made.
    /// - Throws: `notFound` when deleted; `io` when `range` lies outside the data.
    package func get(_ location: DataLocation, range: ClosedRange<Int64>?) throws(DataError)
        -> any ByteSource
    {
        guard let blob = state.withLock({ $0.objects[location.key] }) else { throw .notFound }
        let span = try ByteSpan(range, storedSize: Int64(blob.bytes.count))
        return MemRegion(blob, offset: Int(span.offset), length: Int(span.length))
    }

    /// Forgets the data of `location`; a missing key is fine.
    package func delete(_ location: DataLocation) throws(DataError) {
        state.withLock { state in
            if let blob = state.objects.removeValue(forKey: location.key) {
                state.usedBytes -= Int64(blob.bytes.count)
            }
        }
    }

    /// Always healthy; the detail gives used and total capacity.
    package func healthcheck() -> BackendHealth {
        BackendHealth(ok: true, detail: "\(usedBytes) of \(capacityBytes) bytes used")
    }

    /// Takes `count` bytes of capacity, or throws `insufficientStorage` when they are not free.
    private func reserve(_ count: Int64) throws(DataError) {
        let granted = state.withLock { state in
            guard state.usedBytes + count <= capacityBytes else { return false }
            state.usedBytes += count
            return true
        }
        if !granted { throw .insufficientStorage }
    }

    /// Gives back capacity reserved by a put that failed.
    private func release(_ count: Int64) {
        if count > 0 { state.withLock { $0.usedBytes -= count } }
    }
}
