import Foundation

/// Certificates made by the `openssl` command for the TLS tests, once per test run: two local
/// CAs, each with a server certificate for `*.scalify.test`, `localhost`, `127.0.0.1` and
/// `::1` (subjectAltName, as modern clients require), in a temporary directory.
struct TestCertificates: Sendable {
    /// One CA and the server certificate it signed.
    struct Authority: Sendable {
        let caCertificate: String
        let serverCertificate: String
        let serverKey: String
    }

    let directory: String
    let first: Authority
    let second: Authority

    /// Made on first use; a test that needs them fails with the command's output if openssl
    /// fails.
    static let shared: Result<TestCertificates, TestClientError> = Result { () throws(TestClientError) in
        try TestCertificates()
    }

    /// The shared certificates, or the reason they could not be made.
    static func get() throws -> TestCertificates { try shared.get() }

    private init() throws(TestClientError) {
        let template = NSTemporaryDirectory() + "/cloudserver-tls-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { throw TestClientError(description: "mkdtemp failed") }
        directory = String(cString: made)
        first = try Self.authority("first", in: directory)
        second = try Self.authority("second", in: directory)
    }

    /// A CA (`<name>-ca.crt`) and a server key and certificate it signed, with the
    /// manual's subject names (section 2.7.4) and a subjectAltName extension.
    private static func authority(_ name: String, in directory: String) throws(TestClientError) -> Authority {
        let ca = "\(directory)/\(name)-ca"
        let server = "\(directory)/\(name)-server"
        let extensions = "\(directory)/\(name)-san.ext"
        let san = "subjectAltName = DNS:*.scalify.test, DNS:localhost, IP:127.0.0.1, IP:::1\n"
        guard FileManager.default.createFile(atPath: extensions, contents: Data(san.utf8)) else {
            throw TestClientError(description: "cannot write \(extensions)")
        }
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", ca + ".key", "-out", ca + ".crt", "-days", "3650",
            "-subj", "/C=US/ST=Country/L=City/O=Organization/CN=\(name).scalify.test",
        ])
        try openssl([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", server + ".key", "-out", server + ".csr",
            "-subj", "/C=US/ST=Country/L=City/O=Organization/CN=*.scalify.test",
        ])
        try openssl([
            "x509", "-req", "-in", server + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
            "-CAcreateserial", "-out", server + ".crt", "-days", "3650", "-sha256", "-extfile", extensions,
        ])
        return Authority(
            caCertificate: ca + ".crt", serverCertificate: server + ".crt", serverKey: server + ".key")
    }

    /// Runs `openssl` with `arguments`; its output is returned, and thrown when it fails.
    @discardableResult
    static func openssl(_ arguments: [String], input: String = "") throws(TestClientError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let output = Pipe()
        let feed = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = feed
        do {
            try process.run()
        } catch {
            throw TestClientError(description: "cannot run openssl: \(error)")
        }
        feed.fileHandleForWriting.write(Data(input.utf8))
        try? feed.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestClientError(description: "openssl \(arguments.joined(separator: " ")): \(text)")
        }
        return text
    }
}
