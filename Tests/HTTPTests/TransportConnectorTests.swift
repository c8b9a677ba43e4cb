import CLinux
import Testing

@testable import HTTP

#if canImport(Glibc)
    import Glibc
#endif

/// The client side: TCP connect, and TLS that verifies the server's certificate and name.
@Suite(.serialized) struct TransportConnectorTests {
    @Test("a plain TCP connection made by the connector carries a request")
    func plainConnect() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let transport = try TransportConnector.connect(
                host: "localhost", port: port, tls: nil, connectTimeout: 5, ioTimeout: 5)
            #expect(transport is TCPTransport)
            #expect(!transport.isTLS)
            let request = Array("GET /tcp HTTP/1.1\r\nConnection: close\r\n\r\n".utf8)
            try request.withUnsafeBytes { try transport.send($0) }
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while case let n = try chunk.withUnsafeMutableBytes({ try transport.receive(into: $0) }), n > 0 {
                received += chunk[0..<n]
            }
            transport.close()
            #expect(String(decoding: received, as: UTF8.self).hasSuffix("hello /tcp"))
        }
    }

    @Test("a refused connection throws ECONNREFUSED from connect")
    func refused() throws {
        // A port just bound and closed again: nobody listens there.
        let (fd, port) = try makeListenSocket(host: "127.0.0.1", port: 0, v6Only: true)
        close(fd)
        #expect(throws: IOError(errno: ECONNREFUSED, function: "connect")) {
            try TransportConnector.connect(
                host: "127.0.0.1", port: port, tls: nil, connectTimeout: 5, ioTimeout: 5)
        }
    }

    @Test("a certificate for other names is refused with OpenSSL's hostname mismatch")
    func wrongHostName() throws {
        try withTLSServer { _, port, certificates in
            let error = try #require(throws: IOError.self) {
                try TestClient(
                    tlsPort: port, caFile: certificates.first.caCertificate, serverName: "s3.example.com")
            }
            #expect(error.errno == EPROTO)
            #expect(error.function == "SSL_do_handshake")
            #expect(error.detail?.contains("certificate verify failed: hostname mismatch") == true)
        }
    }

    @Test("an IP address is checked against the certificate's IP entries")
    func ipAddressName() throws {
        try withTLSServer { _, port, certificates in
            _ = try TestClient(tlsPort: port, caFile: certificates.first.caCertificate, host: "127.0.0.1")
            let error = try #require(throws: IOError.self) {
                try TestClient(
                    tlsPort: port, caFile: certificates.first.caCertificate, serverName: "127.0.0.2")
            }
            #expect(error.detail?.contains("IP address mismatch") == true)
        }
    }

    @Test("a certificate from a CA the client does not trust is refused")
    func untrustedCA() throws {
        try withTLSServer { _, port, certificates in
            let error = try #require(throws: IOError.self) {
                try TestClient(tlsPort: port, caFile: certificates.second.caCertificate)
            }
            #expect(error.errno == EPROTO)
            #expect(error.detail?.contains("certificate verify failed") == true)
        }
    }

    @Test("the system CA store does not trust a private CA")
    func systemStore() throws {
        try withTLSServer { _, port, _ in
            let error = try #require(throws: IOError.self) {
                try TransportConnector.connect(
                    host: "localhost", port: port, tls: TLSClientConfiguration(), connectTimeout: 5,
                    ioTimeout: 5)
            }
            #expect(error.detail?.contains("certificate verify failed") == true)
        }
    }

    @Test("TLS to a plain HTTP server fails the handshake instead of hanging")
    func tlsToPlainServer() throws {
        let certificates = try TestCertificates.get()
        try withServer(limits: testLimits()) { _, port, _ in
            let error = try #require(throws: IOError.self) {
                try TestClient(tlsPort: port, caFile: certificates.first.caCertificate)
            }
            #expect(error.function == "SSL_do_handshake")
        }
    }

    @Test("a CA file that cannot be read is a TLSError naming it")
    func missingCAFile() throws {
        let error = try #require(throws: TLSError.self) {
            try TLSClientConfiguration(caFile: "/nonexistent/ca.crt")
        }
        #expect(error.path == "/nonexistent/ca.crt")
    }
}
