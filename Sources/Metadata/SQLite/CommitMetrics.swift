import CoreMetrics

/// What the group-commit writer reports: how many callers' batches each COMMIT carries, and
/// how long each COMMIT takes. With `synchronous=FULL` a COMMIT is the WAL write and its one
/// fsync, so the second series is the fsync latency every writer waits for.
package struct CommitMetrics: Sendable {
    /// Histogram of batches per COMMIT (the group size).
    package static let batchesLabel = "cloudserver_metadata_commit_batches"
    /// Histogram of COMMIT durations, in seconds.
    package static let fsyncLabel = "cloudserver_metadata_commit_fsync_seconds"

    let batches: Recorder
    let fsync: Timer

    /// Handles made once from `factory`; recording is then a histogram update.
    package init(factory: any MetricsFactory) {
        batches = Recorder(label: Self.batchesLabel, dimensions: [], aggregate: true, factory: factory)
        fsync = Timer(label: Self.fsyncLabel, dimensions: [], factory: factory)
    }

    /// Handles that record nothing.
    package static let none = CommitMetrics(factory: NOOPMetricsHandler.instance)
}
