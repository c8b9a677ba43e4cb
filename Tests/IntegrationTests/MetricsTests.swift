import Foundation
import Testing

/// The Prometheus exposition of a running server: its series move with the requests served.
@Suite("Metrics") struct MetricsTests {
    /// The samples of an exposition: `name{labels}` → value; `#` lines skipped.
    static func samples(_ exposition: [UInt8]) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in String(decoding: exposition, as: UTF8.self).split(separator: "\n")
        where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...])
            else {
                continue
            }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test("requests are counted by operation and status, with their bytes, latency and metadata commits")
    func requestSeries() throws {
        let server = try TestServer()
        let client = server.client()
        #expect(try client.send("PUT", "/metered").status == 200)
        #expect(try client.send("PUT", "/metered/object", body: Array("hello".utf8)).status == 200)
        #expect(try client.send("GET", "/metered/object").text == "hello")
        #expect(try client.send("HEAD", "/metered/missing").status == 404)
        #expect(try client.send("HEAD", "/metered/missing").status == 404)
        #expect(try client.send("GET", "/_/healthcheck", sign: false).status == 200)
        // The server counts a request after writing its answer, and reads the next request of a
        // connection only after that: one more answer on this connection means every request
        // above was counted.
        _ = try client.send("GET", "/_/healthcheck", sign: false)

        let exposition = server.instance.metrics.exposition(
            openConnections: server.instance.s3Server.openConnections)
        let text = String(decoding: exposition, as: UTF8.self)
        let samples = Self.samples(exposition)
        #expect(samples[#"cloudserver_http_requests_total{operation="CreateBucket",code="200"}"#] == 1)
        #expect(samples[#"cloudserver_http_requests_total{operation="PutObject",code="200"}"#] == 1)
        #expect(samples[#"cloudserver_http_requests_total{operation="GetObject",code="200"}"#] == 1)
        #expect(samples[#"cloudserver_http_requests_total{operation="HeadObject",code="404"}"#] == 2)
        #expect((samples[#"cloudserver_http_requests_total{operation="Healthcheck",code="200"}"#] ?? 0) >= 1)
        #expect(samples[#"cloudserver_http_received_bytes_total{operation="PutObject"}"#] == 5)
        #expect((samples[#"cloudserver_http_sent_bytes_total{operation="GetObject"}"#] ?? 0) > 5)
        #expect(samples[#"cloudserver_http_request_duration_seconds_count{operation="HeadObject"}"#] == 2)
        #expect((samples[#"cloudserver_http_request_duration_seconds_sum{operation="HeadObject"}"#] ?? 0) > 0)
        #expect(
            samples[#"cloudserver_http_request_duration_seconds_bucket{operation="HeadObject",le="+Inf"}"#]
                == 2)
        // CreateBucket and PutObject each committed one batch.
        #expect((samples["cloudserver_metadata_commit_batches_sum"] ?? 0) >= 2)
        #expect((samples["cloudserver_metadata_commit_fsync_seconds_count"] ?? 0) >= 1)
        #expect(samples["cloudserver_http_open_connections"] == 1)
        #expect(samples[#"cloudserver_build_info{version="0.1.0"}"#] == 1)
        for family in [
            "cloudserver_http_requests_total", "cloudserver_http_request_duration_seconds",
            "cloudserver_http_received_bytes_total", "cloudserver_http_sent_bytes_total",
            "cloudserver_metadata_commit_batches", "cloudserver_metadata_commit_fsync_seconds",
            "cloudserver_http_open_connections",
        ] {
            #expect(text.contains("# HELP \(family) "), "no HELP for \(family)")
        }
    }

    @Test("a data file gone under its metadata is a backend error of its location")
    func backendErrors() throws {
        let server = try TestServer()
        let client = server.client()
        #expect(try client.send("PUT", "/lost").status == 200)
        #expect(try client.send("PUT", "/lost/object", body: Array("data".utf8)).status == 200)
        let dataFiles = try FileManager.default.subpathsOfDirectory(atPath: server.root + "/data").filter {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: server.root + "/data/" + $0, isDirectory: &isDirectory)
            return !isDirectory.boolValue && !$0.hasPrefix(".")
        }
        #expect(dataFiles.count == 1)
        for file in dataFiles { try FileManager.default.removeItem(atPath: server.root + "/data/" + file) }
        #expect(try client.send("GET", "/lost/object").status >= 400)
        _ = try client.send("GET", "/_/healthcheck", sign: false)

        let samples = Self.samples(server.instance.metrics.exposition(openConnections: 0))
        let errors = samples.filter {
            $0.key.hasPrefix("cloudserver_data_backend_errors_total{") && $0.key.contains(#"operation="get""#)
                && $0.key.contains(#"error="not_found""#)
        }
        #expect(errors.count == 1)
        #expect(errors.values.first == 1)
    }
}
