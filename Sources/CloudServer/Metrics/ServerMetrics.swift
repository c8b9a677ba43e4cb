import CoreMetrics
import Prometheus

/// The Prometheus registry of one server instance, served as text at `/metrics` on
/// `metricsPort`. The modules record into it through `factory` (swift-metrics); values that
/// exist anyway (open connections) are read when scraped rather than kept up to date.
///
/// One registry per instance, not swift-metrics' global one: tests run several servers in
/// one process, each with its own counts.
package final class ServerMetrics: Sendable {
    static let openConnectionsLabel = "cloudserver_http_open_connections"
    static let buildInfoLabel = "cloudserver_build_info"

    private let registry = PrometheusCollectorRegistry()
    private let openConnections: Prometheus.Gauge
    /// Where the modules make their handles.
    package let factory: any MetricsFactory

    package init() {
        let factory = PrometheusFactory(registry: registry)
        self.factory = factory
        openConnections = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: Self.openConnectionsLabel, unitName: "",
                helpText: MetricCatalog.entry(Self.openConnectionsLabel).help))
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: Self.buildInfoLabel, unitName: "",
                helpText: MetricCatalog.entry(Self.buildInfoLabel).help),
            labels: [("version", CloudServerVersion.current)]
        ).set(to: 1)
    }

    /// The text exposition format (version 0.0.4), `connections` being the S3 port's open
    /// connections now.
    package func exposition(openConnections connections: Int) -> [UInt8] {
        openConnections.set(Int64(connections))
        return registry.emitToBuffer()
    }
}
