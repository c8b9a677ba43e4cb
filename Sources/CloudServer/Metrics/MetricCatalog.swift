import Data
import Metadata
import S3API

/// HELP text and histogram buckets of every series the server exports, by name. The modules
/// that record a series own its name; this table says what it means to the reader of
/// `/metrics`.
enum MetricCatalog {
    /// One series family.
    struct Entry {
        var help: String
        /// Upper bounds of a duration histogram's buckets.
        var durationBuckets: [Duration] = []
        /// Upper bounds of a value histogram's buckets.
        var valueBuckets: [Double] = []
    }

    /// Request latencies, from 100 µs (a HEAD served from cache) to a minute (large bodies).
    static let requestBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        .seconds(30), .seconds(60),
    ]

    /// fsync latencies, from a write cache's 50 µs to a stalled disk's second.
    static let fsyncBuckets: [Duration] = [
        .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
        .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .seconds(1),
    ]

    static let entries: [String: Entry] = [
        RequestMetrics.requestsLabel: Entry(
            help: "Requests answered on the S3 port, by operation and HTTP status code."),
        RequestMetrics.durationLabel: Entry(
            help: "Time from a request's head received to its response written, by operation.",
            durationBuckets: requestBuckets),
        RequestMetrics.receivedLabel: Entry(help: "Request body bytes read, by operation."),
        RequestMetrics.sentLabel: Entry(help: "Response bytes written (head and body), by operation."),
        CommitMetrics.batchesLabel: Entry(
            help: "Callers' batches carried by each metadata COMMIT (group commit size).",
            valueBuckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]),
        CommitMetrics.fsyncLabel: Entry(
            help: "Duration of each metadata COMMIT: the WAL write and its fsync.",
            durationBuckets: fsyncBuckets),
        BackendErrorMetrics.label: Entry(
            help: "Failed data backend operations, by location, operation and error."),
        ServerMetrics.openConnectionsLabel: Entry(help: "Client connections open on the S3 port."),
        ServerMetrics.buildInfoLabel: Entry(help: "Always 1; the version label names this server's version."),
    ]

    /// The entry of `label`; a series missing from the table gets no HELP line.
    static func entry(_ label: String) -> Entry {
        entries[label] ?? Entry(help: "")
    }
}
