import Foundation
import HTTP
import Testing

@testable import Data

#if canImport(Glibc)
    import Glibc
#endif

/// A moto S3 server (`pip install 'moto[server]'`) for the aws_s3 backend's tests, started once
/// per test process on a free port with two buckets: one versioned, one not. A shell watchdog
/// stops it when the test process ends, however it ends.
enum MotoPeer {
    /// The remote buckets.
    static let versionedBucket = "conformance-versioned"
    static let plainBucket = "conformance-plain"

    /// The running peer's port, or why there is none.
    static let port: Result<Int, Unavailable> = start()

    /// Why moto could not be started.
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    static var isAvailable: Bool { (try? port.get()) != nil }

    /// What to print when the aws_s3 tests cannot run.
    static var skipReason: Comment {
        if case .failure(let why) = port { return Comment(rawValue: "aws_s3 tests skipped: \(why)") }
        return ""
    }

    /// A backend on `bucket` of the peer; the remote names of its data start with `prefix/`.
    static func backend(bucket: String = versionedBucket, port override: Int? = nil) -> S3Backend {
        let port = override ?? ((try? port.get()) ?? 1)
        var http = HTTPClientConfiguration()
        http.connectTimeout = 2
        http.ioTimeout = 30
        return S3Backend(
            configuration: S3BackendConfiguration(
                locationName: "moto-\(bucket)",
                endpoint: HTTPEndpoint(useTLS: false, host: "127.0.0.1", port: port),
                bucketName: bucket, bucketMatch: false, pathStyle: true, accessKey: "testing",
                secretKey: "testing",
                http: http))
    }

    /// Remote object names under `prefix/` in `bucket`.
    static func keys(bucket: String = versionedBucket, prefix: String) -> [String] {
        let backend = backend(bucket: bucket)
        guard
            let response = try? backend.remote.send(
                "GET", key: nil, query: [("list-type", "2"), ("prefix", prefix + "/")]),
            let document = try? response.body.readAll(limit: 1 << 20)
        else { return ["(listing failed)"] }
        var names: [String] = []
        var rest = Substring(String(decoding: document, as: UTF8.self))
        while let open = rest.range(of: "<Key>"),
            let close = rest.range(of: "</Key>", range: open.upperBound..<rest.endIndex)
        {
            names.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return names
    }

    private static func start() -> Result<Int, Unavailable> {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        let candidates: [String] = directories.map { String($0) + "/moto_server" }
        let path = candidates.first { candidate in Glibc.access(candidate, X_OK) == 0 }
        guard let path else {
            return .failure(
                Unavailable(description: "moto_server is not on PATH (pip install 'moto[server]')"))
        }
        let port = freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The peer runs in a session of its own (a pyenv shim starts python as a child): the
        // watchdog kills that whole group once the test process is gone. No descriptor of the
        // test process is inherited, so nothing keeps its output pipe open after it exits.
        process.arguments = [
            "-c",
            "setsid '\(path)' -H 127.0.0.1 -p \(port) & peer=$!; "
                + "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; kill -9 -$peer",
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failure(Unavailable(description: "moto_server did not start: \(error)"))
        }
        for _ in 0..<300 {
            if ready(port) {
                return createBuckets(port).map { port }
            }
            usleep(100_000)
        }
        return .failure(Unavailable(description: "moto_server did not answer on port \(port) within 30 s"))
    }

    private static func ready(_ port: Int) -> Bool {
        let client = HTTPClient()
        let endpoint = HTTPEndpoint(useTLS: false, host: "127.0.0.1", port: port)
        guard
            let response = try? client.execute(
                HTTPClientRequest(method: "GET", endpoint: endpoint, target: "/"))
        else { return false }
        response.body.discard()
        return true
    }

    private static func createBuckets(_ port: Int) -> Result<Void, Unavailable> {
        for (bucket, versioned) in [(versionedBucket, true), (plainBucket, false)] {
            let remote = backend(bucket: bucket, port: port).remote
            do {
                try remote.send("PUT", key: nil).body.discard()
                if versioned {
                    let xml = "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>"
                    try remote.send(
                        "PUT", key: nil, query: [("versioning", nil)], body: .bytes(Array(xml.utf8))
                    )
                    .body.discard()
                }
            } catch {
                return .failure(
                    Unavailable(description: "creating bucket \(bucket) on moto failed: \(error)"))
            }
        }
        return .success(())
    }

    /// A TCP port nobody listens on right now.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
