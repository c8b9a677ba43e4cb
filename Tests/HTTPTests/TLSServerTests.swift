import CLinux
import Foundation
import Logging
import Testing

@testable import HTTP

/// Runs `body` with a started HTTPS server (the first test CA's certificate) on an ephemeral
/// port of 127.0.0.1.
func withTLSServer(
    limits: HTTPLimits = testLimits(), handler: TestHandler = TestHandler(),
    _ body: (HTTPServer, Int, TestCertificates) throws -> Void
) throws {
    let certificates = try TestCertificates.get()
    let context = try TLSServerContext(
        certificateChainFile: certificates.first.serverCertificate,
        privateKeyFile: certificates.first.serverKey,
        caFile: certificates.first.caCertificate)
    let server = HTTPServer(
        configuration: HTTPServerConfiguration(
            listen: [.init(host: "127.0.0.1", port: 0)], limits: limits, workerCount: 4, tls: context),
        handler: handler, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    try server.start()
    defer { server.shutdown() }
    try body(server, server.boundPorts[0], certificates)
}

/// The HTTPS server over real sockets, with certificates made by the openssl command.
@Suite(.serialized) struct TLSServerTests {
    @Test("requests over TLS are answered on one keep-alive connection, flagged as TLS")
    func keepAlive() throws {
        let seen = TestHandler()
        try withTLSServer(handler: seen) { _, port, certificates in
            let client = try TestClient(
                tlsPort: port, caFile: certificates.first.caCertificate, host: "localhost")
            for i in 0..<3 {
                try client.send("GET /k\(i) HTTP/1.1\r\nHost: localhost\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.text == "hello /k\(i)")
            }
            #expect(seen.tlsFlags.withLock { $0 } == [true, true, true])
        }
    }

    @Test("pipelined requests in one TLS write are answered in order, a body between them")
    func pipelining() throws {
        try withTLSServer { _, port, certificates in
            let client = try TestClient(tlsPort: port, caFile: certificates.first.caCertificate)
            let body = String(repeating: "b", count: 40_000)
            try client.send(
                "GET /1 HTTP/1.1\r\n\r\nPUT /echo HTTP/1.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                    + "GET /3 HTTP/1.1\r\n\r\n")
            #expect(try client.readResponse().text == "hello /1")
            #expect(try client.readResponse().text == body)
            #expect(try client.readResponse().text == "hello /3")
        }
    }

    @Test("a head bigger than the loop's first read, in one TLS record, is read from OpenSSL's buffer")
    func pendingRecordBytes() throws {
        // The loop reads into 8 KiB first: the rest of the 12 KiB record stays decrypted in
        // OpenSSL (SSL_pending) where no epoll event announces it.
        try withTLSServer { _, port, certificates in
            let client = try TestClient(tlsPort: port, caFile: certificates.first.caCertificate)
            let filler = String(repeating: "v", count: 12_000)
            try client.send("GET /big HTTP/1.1\r\nX-Filler: \(filler)\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "hello /big")
        }
    }

    @Test("a 3 MiB body goes up and comes back over TLS")
    func largeBodies() throws {
        try withTLSServer { _, port, certificates in
            let client = try TestClient(tlsPort: port, caFile: certificates.first.caCertificate)
            let body = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
            try client.send("PUT /echo HTTP/1.1\r\nContent-Length: \(body.count)\r\n\r\n")
            try client.send(body)
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.body == body)
        }
    }

    @Test("a file body is copied through TLS, never sent with sendfile")
    func fileBody() throws {
        let path = NSTemporaryDirectory() + "/tls-file-\(UInt32.random(in: 0...UInt32.max))"
        let bytes = (0..<400_000).map { UInt8(truncatingIfNeeded: $0 % 253) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        defer { unlink(path) }
        try withTLSServer(handler: TestHandler(filePath: path)) { _, port, certificates in
            let client = try TestClient(tlsPort: port, caFile: certificates.first.caCertificate)
            try client.send("GET /file HTTP/1.1\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.body == Array(bytes[10..<300_010]))
        }
    }

    @Test("plain HTTP sent to the TLS port is closed, and the server keeps serving TLS")
    func plainHTTPRefused() throws {
        try withTLSServer { _, port, certificates in
            let plain = try TestClient(port: port)
            try plain.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(plain.isClosedByServer())
            let client = try TestClient(tlsPort: port, caFile: certificates.first.caCertificate)
            try client.send("GET /after HTTP/1.1\r\n\r\n")
            #expect(try client.readResponse().text == "hello /after")
        }
    }

    @Test("a client silent mid-handshake delays no one and is closed at the header timeout")
    func stalledHandshake() throws {
        try withTLSServer(limits: testLimits { $0.headerTimeout = 1 }) { _, port, certificates in
            let silent = try TestClient(port: port)
            let partial = try TestClient(port: port)
            // The first bytes of a TLS record header (handshake, TLS 1.0 record version).
            try partial.send([0x16, 0x03, 0x01])
            let client = try TestClient(tlsPort: port, caFile: certificates.first.caCertificate)
            try client.send("GET /meanwhile HTTP/1.1\r\n\r\n")
            #expect(try client.readResponse().text == "hello /meanwhile")
            // Both are closed by the timeout scan, within the clients' 5 s receive timeout.
            #expect(silent.isClosedByServer())
            #expect(partial.isClosedByServer())
        }
    }

    @Test("a TLS 1.1 client is refused with a protocol_version alert")
    func tls11Refused() throws {
        try withTLSServer { _, port, _ in
            #expect {
                try TestCertificates.openssl(["s_client", "-connect", "127.0.0.1:\(port)", "-tls1_1"])
            } throws: { error in
                "\(error)".contains("protocol version")
            }
        }
    }

    @Test("the wildcard certificate verifies for a *.scalify.test name sent in SNI")
    func wildcardName() throws {
        try withTLSServer { _, port, certificates in
            let client = try TestClient(
                tlsPort: port, caFile: certificates.first.caCertificate, serverName: "s3.scalify.test")
            try client.send("GET /sni HTTP/1.1\r\nHost: s3.scalify.test\r\n\r\n")
            #expect(try client.readResponse().text == "hello /sni")
        }
    }

    @Test("after a context replacement new connections get the new certificate, open ones go on")
    func reload() throws {
        try withTLSServer { server, port, certificates in
            let before = try TestClient(tlsPort: port, caFile: certificates.first.caCertificate)
            server.replaceTLSContext(
                try TLSServerContext(
                    certificateChainFile: certificates.second.serverCertificate,
                    privateKeyFile: certificates.second.serverKey))
            #expect(throws: IOError.self) {
                try TestClient(tlsPort: port, caFile: certificates.first.caCertificate)
            }
            let after = try TestClient(tlsPort: port, caFile: certificates.second.caCertificate)
            try after.send("GET /new HTTP/1.1\r\n\r\n")
            #expect(try after.readResponse().text == "hello /new")
            try before.send("GET /old HTTP/1.1\r\n\r\n")
            #expect(try before.readResponse().text == "hello /old")
        }
    }

    @Test("an unusable file is named in the TLSError, with OpenSSL's reason")
    func badFiles() throws {
        let certificates = try TestCertificates.get()
        let garbage = certificates.directory + "/garbage.pem"
        #expect(FileManager.default.createFile(atPath: garbage, contents: Data("not a certificate\n".utf8)))
        let first = certificates.first
        let cases: [(cert: String, key: String, ca: String?, blamed: String)] = [
            (garbage, first.serverKey, nil, garbage),
            (first.serverCertificate, garbage, nil, garbage),
            (first.serverCertificate, certificates.second.serverKey, nil, certificates.second.serverKey),
            (first.serverCertificate, first.serverKey, garbage, garbage),
            (
                first.serverCertificate, first.serverKey, certificates.directory + "/missing.pem",
                certificates.directory + "/missing.pem"
            ),
        ]
        for item in cases {
            #expect {
                try TLSServerContext(
                    certificateChainFile: item.cert, privateKeyFile: item.key, caFile: item.ca)
            } throws: { error in
                guard let error = error as? TLSError else { return false }
                return error.path == item.blamed && !error.reason.isEmpty
            }
        }
    }
}
