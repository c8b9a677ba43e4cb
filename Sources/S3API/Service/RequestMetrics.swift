import CoreMetrics
import HTTP
import Locks

/// The series of the S3 port, by operation (the AWS action name, `Healthcheck`, or `Unknown`
/// for a request refused before it could be routed):
/// - `cloudserver_http_requests_total{operation,code}`: answered requests by HTTP status;
/// - `cloudserver_http_request_duration_seconds{operation}`: histogram, head received to
///   response written;
/// - `cloudserver_http_received_bytes_total{operation}`: request body bytes read;
/// - `cloudserver_http_sent_bytes_total{operation}`: response bytes written, head included.
///
/// Every operation's handles are made once, at startup: a request costs an array index, a
/// dictionary lookup by status under a short lock (a status's counter is made the first time
/// an operation answers it), three atomic additions and one histogram update.
package final class RequestMetrics: Sendable {
    package static let requestsLabel = "cloudserver_http_requests_total"
    package static let durationLabel = "cloudserver_http_request_duration_seconds"
    package static let receivedLabel = "cloudserver_http_received_bytes_total"
    package static let sentLabel = "cloudserver_http_sent_bytes_total"

    /// The `operation` label of a request.
    package enum Operation: Sendable, Equatable {
        case s3(S3Operation.Kind)
        case healthcheck
        /// Refused or failed before routing (malformed request, bad bucket name...).
        case unknown

        private static let s3Count = S3Operation.Kind.allCases.count

        var index: Int {
            switch self {
            case .s3(let kind): kind.rawValue
            case .healthcheck: Self.s3Count
            case .unknown: Self.s3Count + 1
            }
        }

        var label: String {
            switch self {
            case .s3(let kind): kind.name
            case .healthcheck: "Healthcheck"
            case .unknown: "Unknown"
            }
        }

        static let all: [Operation] = S3Operation.Kind.allCases.map { .s3($0) } + [.healthcheck, .unknown]
    }

    /// One operation's handles.
    private final class Handles: Sendable {
        let label: String
        let duration: Timer
        let received: Counter
        let sent: Counter
        let byStatus = Locked<[Int: Counter]>([:])
        let factory: any MetricsFactory

        init(_ operation: Operation, factory: any MetricsFactory) {
            label = operation.label
            let dimensions = [("operation", label)]
            duration = Timer(label: RequestMetrics.durationLabel, dimensions: dimensions, factory: factory)
            received = Counter(label: RequestMetrics.receivedLabel, dimensions: dimensions, factory: factory)
            sent = Counter(label: RequestMetrics.sentLabel, dimensions: dimensions, factory: factory)
            self.factory = factory
        }

        func requests(status: Int) -> Counter {
            byStatus.withLock { counters in
                if let counter = counters[status] { return counter }
                let made = Counter(
                    label: RequestMetrics.requestsLabel,
                    dimensions: [("operation", label), ("code", "\(status)")],
                    factory: factory)
                counters[status] = made
                return made
            }
        }
    }

    private let handles: [Handles]

    /// Makes every operation's handles from `factory`.
    package init(factory: any MetricsFactory) {
        handles = Operation.all.map { Handles($0, factory: factory) }
    }

    /// Handles that record nothing.
    package static let none = RequestMetrics(factory: NOOPMetricsHandler.instance)

    /// Counts one finished exchange.
    package func record(_ event: HTTPCompletion, operation: Operation) {
        let handles = handles[operation.index]
        handles.requests(status: event.status).increment()
        handles.duration.recordNanoseconds(Int64(clamping: event.elapsedNanoseconds))
        if event.bytesIn > 0 { handles.received.increment(by: event.bytesIn) }
        if event.bytesOut > 0 { handles.sent.increment(by: event.bytesOut) }
    }
}
