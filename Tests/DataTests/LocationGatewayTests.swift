import HTTP
import MetricsTestKit
import Testing

@testable import Data

/// Routing of data operations by location name.
@Suite("LocationGateway")
struct LocationGatewayTests {
    private func makeGateway() -> (LocationGateway, MemBackend, MemBackend) {
        let east = MemBackend(locationName: "us-east-1", capacityBytes: 1 << 20)
        let west = MemBackend(locationName: "us-west-1", capacityBytes: 1 << 20)
        return (
            LocationGateway(backends: ["us-east-1": east, "us-west-1": west], defaultLocation: "us-east-1"),
            east, west
        )
    }

    @Test("a put without a location goes to the default location")
    func defaultLocation() throws {
        let (gateway, east, west) = makeGateway()
        let location = try gateway.put(BufferSource([1, 2]), size: 2, object: .unique())
        #expect(location.location == "us-east-1")
        #expect(east.objectCount == 1)
        #expect(west.objectCount == 0)
    }

    @Test("get and delete go to the backend named by the stored location")
    func routing() throws {
        let (gateway, east, west) = makeGateway()
        let location = try gateway.put(
            BufferSource([7, 8, 9]), size: 3, object: .unique(), location: "us-west-1")
        #expect(west.objectCount == 1)
        #expect(try drain(gateway.get(location, range: 1...2)) == [8, 9])
        try gateway.delete(location)
        #expect(west.objectCount == 0)
        #expect(east.objectCount == 0)
        #expect(gateway.backend(for: "us-west-1") != nil)
        #expect(gateway.backend(for: "eu-west-3") == nil)
    }

    @Test("an unknown location throws unavailable")
    func unknownLocation() {
        let (gateway, _, _) = makeGateway()
        let elsewhere = DataLocation(location: "eu-west-3", key: "k", size: 1)
        #expect(
            dataErrorKind {
                _ = try gateway.put(BufferSource([1]), size: 1, object: .unique(), location: "eu-west-3")
            }
                == .unavailable)
        #expect(dataErrorKind { _ = try gateway.get(elsewhere) } == .unavailable)
        #expect(dataErrorKind { try gateway.delete(elsewhere) } == .unavailable)
        #expect(gateway.healthcheck().count == 2)
    }

    @Test("backend failures are counted by location, operation and error; the client's are not")
    func errorMetrics() throws {
        let metrics = TestMetrics()
        let small = MemBackend(locationName: "small", capacityBytes: 4)
        let gateway = LocationGateway(
            backends: ["small": small], defaultLocation: "small", metrics: metrics)
        let missing = DataLocation(location: "small", key: "gone", size: 1)
        #expect(dataErrorKind { _ = try gateway.get(missing) } == .notFound)
        #expect(dataErrorKind { _ = try gateway.get(missing) } == .notFound)
        #expect(
            dataErrorKind { _ = try gateway.put(BufferSource([1, 2, 3, 4, 5]), size: 5, object: ObjectIdentity(bucket: "b", key: "k")) }
                == .insufficientStorage)
        #expect(dataErrorKind { _ = try gateway.put(BufferSource([1, 2]), size: 3, object: ObjectIdentity(bucket: "b", key: "k")) } == .sizeMismatch)
        #expect(
            dataErrorKind { _ = try gateway.get(DataLocation(location: "elsewhere", key: "k", size: 1)) }
                == .unavailable)

        func count(_ location: String, _ operation: String, _ error: String) throws -> Int64 {
            try metrics.expectCounter(
                BackendErrorMetrics.label,
                [("location", location), ("operation", operation), ("error", error)]
            ).totalValue
        }
        #expect(try count("small", "get", "not_found") == 2)
        #expect(try count("small", "put", "insufficient_storage") == 1)
        #expect(try count("elsewhere", "get", "unavailable") == 1)
        #expect(metrics.counters(label: BackendErrorMetrics.label).count == 3)
    }
}
