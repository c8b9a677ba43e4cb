import Foundation
import Testing

@testable import CloudServer

/// certFilePaths whose files OpenSSL refuses: the error names the key of the file at fault.
@Suite struct CertFilePathsLoadTests {
    /// A self-signed EC certificate and its key, made by the openssl command in `fixture`.
    private func selfSigned(in fixture: ConfigFixture) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", fixture.directory + "/test.key", "-out", fixture.directory + "/test.crt",
            "-days", "30", "-subj", "/CN=localhost",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openssl req failed")
    }

    @Test("a usable certificate and key load")
    func usable() throws {
        let fixture = ConfigFixture()
        try selfSigned(in: fixture)
        let paths = CertFilePaths(key: fixture.directory + "/test.key", cert: fixture.directory + "/test.crt")
        _ = try paths.loadContext(configFile: "config.json")
    }

    @Test(
        "the file OpenSSL refuses is named by its key",
        arguments: [
            ("key", "garbage.pem", "test.crt", nil),
            ("cert", "test.key", "garbage.pem", nil),
            ("ca", "test.key", "test.crt", "garbage.pem"),
        ] as [(String, String, String, String?)])
    func refused(blamed: String, key: String, cert: String, ca: String?) throws {
        let fixture = ConfigFixture(["garbage.pem": "not PEM\n"])
        try selfSigned(in: fixture)
        let dir = fixture.directory
        let paths = CertFilePaths(key: dir + "/" + key, cert: dir + "/" + cert, ca: ca.map { dir + "/" + $0 })
        let error = try #require(throws: ConfigError.self) {
            try paths.loadContext(configFile: "config.json")
        }
        #expect(error.file == "config.json")
        #expect(error.key == "certFilePaths.\(blamed)")
        #expect(error.problem.hasPrefix("cannot use \(dir)/garbage.pem: "))
    }
}
