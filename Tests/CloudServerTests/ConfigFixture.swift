import Foundation
import Glibc

@testable import CloudServer

/// A temporary working directory holding configuration files, removed when released.
final class ConfigFixture {
    let directory: String

    /// Minimal valid files; tests replace the ones they are about.
    static let config = #"{"port": 8000, "restEndpoints": {"localhost": "us-east-1"}}"#
    static let locations = #"{"us-east-1": {"type": "file", "legacyAwsBehavior": true, "details": {}}}"#
    static let authdata = """
        {"accounts": [{"name": "Bart", "email": "bart@example.com", "arn": "arn:aws:iam::123456789012:root",
          "canonicalID": "\(String(repeating: "a", count: 64))", "shortid": "123456789012",
          "keys": [{"access": "accessKey1", "secret": "verySecretKey1"}]}]}
        """

    /// Writes `files` (relative path → content) into a new temporary directory. The three
    /// files default to the minimal ones; pass nil content to leave a file out.
    init(_ files: [String: String?] = [:]) {
        var template = Array("/tmp/cloudserver-config-XXXXXX".utf8CString)
        directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        var all: [String: String?] = [
            "config.json": Self.config, "locationConfig.json": Self.locations,
            "conf/authdata.json": Self.authdata,
        ]
        for (path, content) in files { all[path] = content }
        for (path, content) in all {
            guard let content else { continue }
            write(path, content)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Writes one file under the directory.
    func write(_ path: String, _ content: String) {
        let full = directory + "/" + path
        try? FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: Data(content.utf8))
    }

    /// Loads settings in this directory.
    func load(
        _ environment: [String: String] = [:], _ overrides: CommandLineOverrides = CommandLineOverrides()
    )
        throws(ConfigError) -> Settings
    {
        try Settings.load(overrides: overrides, environment: environment, workingDirectory: directory)
    }

    /// The one-line error of loading, or nil when loading succeeds.
    func loadError(
        _ environment: [String: String] = [:], _ overrides: CommandLineOverrides = CommandLineOverrides()
    )
        -> String?
    {
        do {
            _ = try load(environment, overrides)
            return nil
        } catch {
            return error.description
        }
    }
}
