import Foundation
import HTTP
import Synchronization
import Testing

@testable import Data

/// The behaviour every `DataBackend` owes its callers, run on each implementation.
@Suite("DataBackend conformance")
struct DataBackendConformance {
    @Test(
        "a put then a get returns exactly the bytes stored", arguments: BackendKind.available,
        [0, 1, 5 << 20, 9 << 20 + 3, 16 << 20])
    func roundTrip(kind: BackendKind, count: Int) throws {
        let fixture = kind.make()
        let bytes = randomBytes(count)
        let location = try fixture.put(bytes)
        #expect(location.size == Int64(count))
        #expect(location.start == 0)
        #expect(try drain(fixture.backend.get(location, range: nil)) == bytes)
    }

    @Test(
        "a put of unknown size stores the whole body, or is refused by a remote that needs the length",
        arguments: BackendKind.available)
    func unknownSize(kind: BackendKind) throws {
        let fixture = kind.make()
        let bytes = randomBytes(3 << 20 + 17)
        guard kind.acceptsUnknownSize else {
            #expect(
                dataErrorKind {
                    _ = try fixture.backend.put(BufferSource(bytes), size: nil, object: fixture.object())
                }
                    == .lengthRequired)
            #expect(fixture.leftovers == 0)
            return
        }
        let location = try fixture.backend.put(BufferSource(bytes), size: nil, object: fixture.object())
        #expect(location.size == Int64(bytes.count))
        #expect(try drain(fixture.backend.get(location, range: nil)) == bytes)
    }

    @Test(
        "a ranged get returns exactly the bytes of the range",
        arguments: BackendKind.available, [0...0, 999...999, 100...199, 0...999, 500...998])
    func ranges(kind: BackendKind, range: ClosedRange<Int64>) throws {
        let fixture = kind.make()
        let bytes = randomBytes(1000)
        let location = try fixture.put(bytes)
        let expected = Array(bytes[Int(range.lowerBound)...Int(range.upperBound)])
        #expect(try drain(fixture.backend.get(location, range: range)) == expected)
    }

    @Test("a range past the stored data is refused", arguments: BackendKind.available)
    func rangePastEnd(kind: BackendKind) throws {
        let fixture = kind.make()
        let location = try fixture.put(randomBytes(10))
        #expect(dataErrorKind { _ = try fixture.backend.get(location, range: 5...10) } == .io)
    }

    @Test("a get after a delete throws notFound", arguments: BackendKind.available)
    func getAfterDelete(kind: BackendKind) throws {
        let fixture = kind.make()
        let location = try fixture.put(randomBytes(100))
        try fixture.backend.delete(location)
        #expect(dataErrorKind { _ = try fixture.backend.get(location, range: nil) } == .notFound)
        #expect(fixture.leftovers == 0)
    }

    @Test("deleting twice is not an error", arguments: BackendKind.available)
    func deleteTwice(kind: BackendKind) throws {
        let fixture = kind.make()
        let location = try fixture.put(randomBytes(100))
        try fixture.backend.delete(location)
        try fixture.backend.delete(location)
    }

    @Test(
        "a body shorter or longer than its declared size throws sizeMismatch and leaves nothing",
        arguments: BackendKind.available,
        [
            (10, 5), (5, 10), (0, 1), (2 << 20, 2 << 20 - 1), (1 << 20, 1 << 20 + 1), (9 << 20, 9 << 20 - 1),
            (9 << 20, 9 << 20 + 1),
        ])
    func sizeMismatch(kind: BackendKind, sizes: (declared: Int, actual: Int)) throws {
        let fixture = kind.make()
        let body = BufferSource(randomBytes(sizes.actual))
        #expect(
            dataErrorKind {
                _ = try fixture.backend.put(body, size: Int64(sizes.declared), object: fixture.object())
            } == .sizeMismatch)
        #expect(fixture.leftovers == 0)
    }

    @Test(
        "a body that fails mid-stream throws source with its error and leaves nothing",
        arguments: BackendKind.available)
    func failingBody(kind: BackendKind) throws {
        let fixture = kind.make()
        for (sent, size) in [
            (3 << 20, Int64(3 << 20 + 5000)), (3 << 20, nil), (9 << 20, Int64(9 << 20 + 5000)),
        ] where size != nil || kind.acceptsUnknownSize {
            do {
                _ = try fixture.backend.put(
                    ThrowingSource(randomBytes(sent)), size: size, object: fixture.object())
                Issue.record("the put succeeded")
            } catch {
                guard case .source(let original) = error else {
                    Issue.record("expected .source, got \(error)")
                    continue
                }
                #expect(original is ClientGone)
            }
            #expect(fixture.leftovers == 0)
        }
    }

    @Test("puts from 16 threads at once are all readable", arguments: BackendKind.available)
    func concurrentPuts(kind: BackendKind) throws {
        let fixture = kind.make()
        let bodies = (0..<16).map { _ in randomBytes(100_000 + Int.random(in: 0..<50_000)) }
        let results = Mutex<[Int: DataLocation]>([:])
        DispatchQueue.concurrentPerform(iterations: bodies.count) { index in
            if let location = try? fixture.put(bodies[index]) {
                results.withLock { $0[index] = location }
            }
        }
        let locations = results.withLock { $0 }
        #expect(locations.count == bodies.count)
        #expect(Set(locations.values.map(\.key)).count == bodies.count)
        for (index, location) in locations {
            #expect(try drain(fixture.backend.get(location, range: nil)) == bodies[index])
        }
    }

    @Test("a backend in use reports itself healthy", arguments: BackendKind.available)
    func healthy(kind: BackendKind) throws {
        let fixture = kind.make()
        _ = try fixture.put(randomBytes(10))
        let health = fixture.backend.healthcheck()
        #expect(health.ok, "\(health.detail)")
        #expect(!health.detail.isEmpty)
    }
}
