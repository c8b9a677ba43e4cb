import CoreMetrics
import Locks

/// Failures of the data backends, counted by location, operation and kind:
/// `cloudserver_data_backend_errors_total{location="us-east-1",operation="get",error="not_found"}`.
///
/// Only failures of the backend count: a body shorter than announced or a client that went
/// away (`sizeMismatch`, `source`) are the client's doing. A series appears with its first
/// error; errors are rare, so making its counter then costs the request path nothing.
package final class BackendErrorMetrics: Sendable {
    /// The counter family's name.
    package static let label = "cloudserver_data_backend_errors_total"

    /// The data operation that failed.
    package enum Operation: String, Sendable {
        case put, get, delete
    }

    private struct Key: Hashable {
        var location: String
        var operation: Operation
        var kind: String
    }

    private let factory: any MetricsFactory
    private let counters = Locked<[Key: Counter]>([:])

    package init(factory: any MetricsFactory) { self.factory = factory }

    /// Counts `error` of `operation` at `location`, unless the client caused it.
    package func record(_ error: DataError, _ operation: Operation, location: String) {
        guard let kind = Self.kind(of: error) else { return }
        let key = Key(location: location, operation: operation, kind: kind)
        let counter = counters.withLock { counters in
            if let existing = counters[key] { return existing }
            let made = Counter(
                label: Self.label,
                dimensions: [("location", location), ("operation", operation.rawValue), ("error", kind)],
                factory: factory)
            counters[key] = made
            return made
        }
        counter.increment()
    }

    /// The `error` label of a backend failure; nil for failures the client caused.
    static func kind(of error: DataError) -> String? {
        switch error {
        case .notFound: "not_found"
        case .insufficientStorage: "insufficient_storage"
        case .io: "io"
        case .unavailable: "unavailable"
        case .notImplemented: "not_implemented"
        case .sizeMismatch, .source, .lengthRequired: nil
        }
    }
}
