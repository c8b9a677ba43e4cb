import Foundation
import Testing

@testable import CloudServer

/// The built `cloudserver` executable, run as a child process. Build it first with
/// `swift build --product cloudserver`.
@Suite("cloudserver executable")
struct ExecutableTests {
    /// The executable next to the test bundle, else in `.build/debug` of the package.
    static var executable: String? {
        var candidates: [String] = []
        if let me = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((me as NSString).deletingLastPathComponent + "/cloudserver")
        }
        candidates.append(URLPath.packageRoot + "/.build/debug/cloudserver")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs the executable in `directory` with `environment` only; returns status and output.
    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        guard let executable else {
            Issue.record("cloudserver is not built: run `swift build --product cloudserver` first")
            return (-1, "", "")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self),
            String(decoding: stderr, as: UTF8.self)
        )
    }

    @Test("--help exits 0 and lists every flag with its default")
    func help() throws {
        let result = try Self.run(["--help"], in: NSTemporaryDirectory())
        #expect(result.status == 0)
        for flag in [
            "--port", "--metrics-port", "--listen-addr", "--config", "--location-config", "--auth-config",
            "--data-path",
            "--metadata-path", "--backend", "--log-level", "--version",
        ] {
            #expect(result.stdout.contains(flag), "missing \(flag)")
        }
        // Help text wraps at the terminal width: compare with whitespace runs collapsed.
        let text = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("else 8000"))
        #expect(text.contains("else 8002"))
        #expect(text.contains("else ./localData"))
        #expect(text.contains("else file"))
    }

    @Test("--version prints the version")
    func version() throws {
        let result = try Self.run(["--version"], in: NSTemporaryDirectory())
        #expect(result.status == 0)
        #expect(result.stdout == CloudServerVersion.current + "\n")
    }

    @Test("a bad config file prints one line on stderr and exits 1")
    func badConfig() throws {
        let fixture = ConfigFixture(["config.json": #"{"port": "abc", "restEndpoints": {}}"#])
        let result = try Self.run([], in: fixture.directory)
        #expect(result.status == 1)
        #expect(
            result.stderr == #"config.json: port: must be an integer between 0 and 65535 (got "abc")"# + "\n")
        #expect(result.stdout.isEmpty)
    }

    @Test("a bad environment variable prints one line on stderr and exits 1")
    func badEnvironment() throws {
        let fixture = ConfigFixture()
        let result = try Self.run([], in: fixture.directory, environment: ["S3BACKEND": "tape"])
        #expect(result.status == 1)
        #expect(result.stderr == #"environment: S3BACKEND: must be file or mem (got "tape")"# + "\n")
    }

    @Test("a flag naming a missing file prints one line on stderr and exits 1")
    func missingFile() throws {
        let fixture = ConfigFixture()
        let result = try Self.run(["--location-config", "/nonexistent/l.json"], in: fixture.directory)
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "/nonexistent/l.json: cannot read /nonexistent/l.json: No such file or directory\n")
    }

    @Test("a certificate file that is not PEM prints one line naming certFilePaths.cert and exits 1")
    func unusableCertificate() throws {
        let fixture = ConfigFixture([
            "config.json":
                #"{"port": 0, "restEndpoints": {}, "certFilePaths": {"key": "k.pem", "cert": "c.pem"}}"#,
            "k.pem": "not a key\n", "c.pem": "not a certificate\n",
        ])
        let result = try Self.run([], in: fixture.directory, environment: ["S3BACKEND": "mem"])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(
            result.stderr.hasPrefix(
                "config.json: certFilePaths.cert: cannot use \(fixture.directory)/c.pem: "))
        #expect(result.stderr.contains("no start line"))
    }
}
