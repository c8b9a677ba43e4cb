import Foundation
import HTTP
import Testing

@testable import Data

#if canImport(Glibc)
    import Glibc
#endif

/// The Blob service stand-in of `Tests/clients/azure_blob_standin.py` (which checks every
/// SharedKey signature with the azure-storage-blob SDK's signer) for the azure backend's tests:
/// two instances started once per test process on free ports, one as an account without blob
/// versioning, one with it. A shell watchdog stops them when the test process ends.
enum AzurePeer {
    static let account = "conformance"
    /// The account key (base64 of 32 bytes), as a storage account's.
    static let key = "Y29uZm9ybWFuY2Uta2V5LW9mLXRoaXJ0eS10d28tYnk="
    static let container = "data"

    /// The running peers' ports (plain, versioned), or why there are none.
    static let ports: Result<(plain: Int, versioned: Int), MotoPeer.Unavailable> = start()

    static var isAvailable: Bool { (try? ports.get()) != nil }

    /// What to print when the azure tests cannot run.
    static var skipReason: Comment {
        if case .failure(let why) = ports { return Comment(rawValue: "azure tests skipped: \(why)") }
        return ""
    }

    /// A backend on the peer (bucketMatch false: blob names start with the local bucket). Small
    /// thresholds, so that tests of a few MiB cover the block path too.
    static func backend(versioned: Bool = false, port override: Int? = nil, key: [UInt8]? = nil)
        -> AzureBackend
    {
        let running = try? ports.get()
        let port = override ?? (versioned ? running?.versioned : running?.plain) ?? 1
        var http = HTTPClientConfiguration()
        http.connectTimeout = 2
        http.ioTimeout = 30
        var configuration = AzureBackendConfiguration(
            locationName: versioned ? "azure-versioned" : "azure-plain",
            endpoint: HTTPEndpoint(useTLS: false, host: "127.0.0.1", port: port), accountName: account,
            accountKey: key ?? AzureBackendConfiguration.accountKey(base64: Self.key)!,
            containerName: container,
            bucketMatch: false, http: http)
        configuration.singlePutLimit = 4 << 20
        configuration.blockSize = 1 << 20
        return AzureBackend(configuration: configuration)
    }

    /// What the peer holds: `blobs` (name → size) and `uncommitted` (name → block count).
    static func contents(versioned: Bool = false) -> (blobs: [String: Int], uncommitted: [String: Int]) {
        let running = try? ports.get()
        let port = (versioned ? running?.versioned : running?.plain) ?? 1
        let client = HTTPClient()
        guard
            let response = try? client.execute(
                HTTPClientRequest(
                    method: "GET", endpoint: HTTPEndpoint(useTLS: false, host: "127.0.0.1", port: port),
                    target: "/_standin/blobs")),
            let body = try? response.body.readAll(limit: 16 << 20),
            let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let state = json[container] as? [String: Any],
            let blobs = state["blobs"] as? [String: [String: Any]],
            let uncommitted = state["uncommitted"] as? [String: Int]
        else { return (["(inspection failed)": -1], [:]) }
        return (blobs.mapValues { $0["size"] as? Int ?? -1 }, uncommitted)
    }

    /// Blob names under `prefix/`.
    static func blobs(prefix: String, versioned: Bool = false) -> [String] {
        contents(versioned: versioned).blobs.keys.filter { $0.hasPrefix(prefix + "/") || $0.hasPrefix("(") }
            .sorted()
    }

    private static func start() -> Result<(plain: Int, versioned: Int), MotoPeer.Unavailable> {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("clients/azure_blob_standin.py").path
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/bin/sh")
        check.arguments = ["-c", "python3 -c 'import azure.storage.blob' >/dev/null 2>&1"]
        do {
            try check.run()
            check.waitUntilExit()
        } catch {
            return .failure(.init(description: "python3 could not be run: \(error)"))
        }
        guard check.terminationStatus == 0 else {
            return .failure(
                .init(
                    description:
                        "the azure-storage-blob SDK is not installed (pip install azure-storage-blob)"))
        }
        var started: [Int] = []
        for versioning in [false, true] {
            let port = MotoPeer.freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = [
                "-c",
                "setsid python3 '\(script)' --port \(port) --account \(account) --key '\(key)' "
                    + "--container \(container)\(versioning ? " --versioning" : "") & peer=$!; "
                    + "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; kill -9 -$peer",
            ]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                return .failure(.init(description: "the stand-in did not start: \(error)"))
            }
            started.append(port)
        }
        for port in started {
            guard (0..<300).contains(where: { _ in ready(port) || (usleep(100_000) != 0) }) else {
                return .failure(.init(description: "the stand-in did not answer on port \(port) within 30 s"))
            }
        }
        return .success((started[0], started[1]))
    }

    private static func ready(_ port: Int) -> Bool {
        let client = HTTPClient()
        guard
            let response = try? client.execute(
                HTTPClientRequest(
                    method: "GET", endpoint: HTTPEndpoint(useTLS: false, host: "127.0.0.1", port: port),
                    target: "/_standin/requests"))
        else { return false }
        response.body.discard()
        return response.status == 200
    }
}
