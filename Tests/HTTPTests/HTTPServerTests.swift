import CLinux
import Logging
import Testing

@testable import HTTP

#if canImport(Glibc)
    import Glibc
#endif

/// The server over real sockets; serialized so timing-based tests do not compete for 2 cores.
@Suite(.serialized) struct HTTPServerTests {
    @Test("several requests are answered on one keep-alive connection")
    func keepAlive() throws {
        try withServer(limits: testLimits()) { _, port, handler in
            let client = try TestClient(port: port)
            for i in 0..<5 {
                try client.send("GET /k\(i)?q=1 HTTP/1.1\r\nHost: x\r\n\r\n")
                let r = try client.readResponse()
                #expect(r.status == 200)
                #expect(r.text == "hello /k\(i)?q=1")
                #expect(r.headers["x-path"] == "/k\(i)")
            }
            #expect(eventually { handler.completions.withLock { $0.count } == 5 })
        }
    }

    @Test("three pipelined requests in one write are answered in order")
    func pipelining() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let client = try TestClient(port: port)
            try client.send(
                "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nPUT /echo HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcdGET /3 HTTP/1.1\r\n\r\n"
            )
            #expect(try client.readResponse().text == "hello /1")
            #expect(try client.readResponse().text == "abcd")
            #expect(try client.readResponse().text == "hello /3")
        }
    }

    @Test("an HTTP/1.0 request without keep-alive is answered and closed")
    func http10Closes() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let client = try TestClient(port: port)
            try client.send("GET /old HTTP/1.0\r\n\r\n")
            let r = try client.readResponse()
            #expect(r.headers["connection"] == "close")
            #expect(client.isClosedByServer())
        }
    }

    @Test("Expect: 100-continue gets 100 Continue on the first body read, then the response")
    func expectContinue() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let client = try TestClient(port: port)
            try client.send("PUT /echo HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try client.readResponse()
            #expect(interim.status == 100)
            try client.send("hello")
            let r = try client.readResponse()
            #expect(r.status == 200)
            #expect(r.text == "hello")
        }
    }

    @Test("a handler that answers without reading a 100-continue body gets no 100 and the connection closes")
    func expectContinueUnread() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let client = try TestClient(port: port)
            try client.send("PUT /other HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let r = try client.readResponse()
            #expect(r.status == 200)
            #expect(r.headers["connection"] == "close")
        }
    }

    @Test(
        "Expect: 100-continue with an empty body gets 100 Continue before the response and keeps the connection"
    )
    func expectContinueEmptyBody() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let client = try TestClient(port: port)
            for _ in 0..<2 {
                try client.send("PUT /echo HTTP/1.1\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n")
                let interim = try client.readResponse()
                #expect(interim.status == 100)
                let r = try client.readResponse()
                #expect(r.status == 200)
                #expect(r.headers["connection"] == nil)
            }
        }
    }

    @Test("HEAD responses have no body and keep the handler's Content-Length")
    func headHasNoBody() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let client = try TestClient(port: port)
            try client.send("HEAD /head HTTP/1.1\r\n\r\nHEAD /x HTTP/1.1\r\n\r\nGET /after HTTP/1.1\r\n\r\n")
            let r = try client.readResponse(head: true)
            #expect(r.headers["content-length"] == "1234")
            let r2 = try client.readResponse(head: true)
            #expect(r2.headers["content-length"] == "8")
            #expect(try client.readResponse().text == "hello /after")
        }
    }

    @Test("204 has no body and no Content-Length")
    func noContent() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let client = try TestClient(port: port)
            try client.send("DELETE /nocontent HTTP/1.1\r\n\r\nGET /after HTTP/1.1\r\n\r\n")
            let r = try client.readResponse()
            #expect(r.status == 204)
            #expect(r.headers["content-length"] == nil)
            #expect(try client.readResponse().text == "hello /after")
        }
    }

    @Test("a chunked request body is decoded and echoed")
    func chunkedRequest() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let client = try TestClient(port: port)
            try client.send("PUT /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
            usleep(50_000)
            try client.send("7;ext=1\r\n, world\r\n0\r\nTrailer: t\r\n\r\nGET /next HTTP/1.1\r\n\r\n")
            let r = try client.readResponse()
            #expect(r.text == "hello, world")
            #expect(try client.readResponse().text == "hello /next")
        }
    }

    @Test("a stream of unknown length is sent chunked")
    func chunkedResponse() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let client = try TestClient(port: port)
            try client.send("GET /chunked HTTP/1.1\r\n\r\n")
            let r = try client.readResponse()
            #expect(r.headers["transfer-encoding"] == "chunked")
            #expect(r.body == (0..<100_000).map { UInt8(truncatingIfNeeded: $0 % 251) })
        }
    }

    @Test("a FileRegion is sent with its exact bytes")
    func sendFile() throws {
        let path = "/tmp/httptests-\(getpid())-sendfile"
        let data = (0..<400_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        defer { unlink(path) }
        try withServer(limits: testLimits(), handler: TestHandler(filePath: path)) { _, port, handler in
            let client = try TestClient(port: port)
            try client.send("GET /file HTTP/1.1\r\n\r\n")
            let r = try client.readResponse()
            #expect(r.headers["content-length"] == "300000")
            #expect(r.body == Array(data[10..<300_010]))
            try client.send("GET /again HTTP/1.1\r\n\r\n")
            #expect(try client.readResponse().text == "hello /again")
            #expect(eventually { handler.completions.withLock { $0.first?.bytesOut ?? 0 } > 300_000 })
        }
    }

    @Test("a small FileRegion is read behind the head: exact bytes, and the connection stays usable")
    func smallFileRegion() throws {
        let path = "/tmp/httptests-\(getpid())-smallfile"
        let data = (0..<400_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        defer { unlink(path) }
        try withServer(limits: testLimits(), handler: TestHandler(filePath: path)) { _, port, handler in
            let client = try TestClient(port: port)
            try client.send("GET /smallfile HTTP/1.1\r\n\r\n")
            let r = try client.readResponse()
            #expect(r.headers["content-length"] == "4000")
            #expect(r.body == Array(data[10..<4010]))
            try client.send("GET /again HTTP/1.1\r\n\r\n")
            #expect(try client.readResponse().text == "hello /again")
            #expect(eventually { handler.completions.withLock { $0.count } == 2 })
            let first = handler.completions.withLock { $0[0] }
            #expect(first.failure == nil && first.bytesOut > 4000)
        }
    }

    @Test("a small FileRegion that ends early sends the head and the bytes it had, then closes")
    func shortSmallFileRegion() throws {
        let path = "/tmp/httptests-\(getpid())-shortfile"
        let data = [UInt8](repeating: 0x61, count: 400_000)
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        defer { unlink(path) }
        try withServer(limits: testLimits(), handler: TestHandler(filePath: path)) { _, port, handler in
            let client = try TestClient(port: port)
            try client.send("GET /shortfile HTTP/1.1\r\n\r\n")
            #expect(throws: (any Error).self) { try client.readResponse() }
            #expect(eventually { handler.completions.withLock { $0.count } == 1 })
            let event = handler.completions.withLock { $0[0] }
            #expect(event.failure != nil && event.bytesOut > 100)
            let other = try TestClient(port: port)
            try other.send("GET /still HTTP/1.1\r\n\r\n")
            #expect(try other.readResponse().text == "hello /still")
        }
    }

    @Test("a 70 KiB head is refused with 431 and closed")
    func headTooLarge() throws {
        try withServer(limits: testLimits()) { _, port, handler in
            let client = try TestClient(port: port)
            try client.send(
                "GET / HTTP/1.1\r\nX-Big: " + String(repeating: "b", count: 70 * 1024) + "\r\n\r\n")
            let r = try client.readResponse()
            #expect(r.status == 431)
            #expect(client.isClosedByServer())
            #expect(handler.refusals.withLock { $0 } == [431])
        }
    }

    @Test("201 header fields are refused with 431")
    func tooManyHeaders() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let client = try TestClient(port: port)
            try client.send("GET / HTTP/1.1\r\n" + (0..<201).map { "H\($0): v\r\n" }.joined() + "\r\n")
            #expect(try client.readResponse().status == 431)
        }
    }

    @Test("a malformed request line is refused with 400 and closed")
    func malformedRequestLine() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let client = try TestClient(port: port)
            try client.send("GET /a b HTTP/1.1\r\n\r\n")
            let r = try client.readResponse()
            #expect(r.status == 400)
            #expect(r.headers["connection"] == "close")
            #expect(client.isClosedByServer())
        }
    }

    @Test("a bad chunk size makes the body read throw and the server answer 400")
    func badChunkSize() throws {
        try withServer(limits: testLimits()) { _, port, handler in
            let client = try TestClient(port: port)
            try client.send(
                "PUT /read HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")
            let r = try client.readResponse()
            #expect(r.status == 400)
            #expect(client.isClosedByServer())
            #expect(handler.bodyReads.withLock { $0.first?.hasPrefix("threw") ?? false })
        }
    }

    @Test("a slowloris client is cut after headerTimeout while another is served")
    func slowloris() throws {
        try withServer(limits: testLimits { $0.headerTimeout = 1 }) { server, port, _ in
            let slow = try TestClient(port: port)
            try slow.send("GET / HTTP/1.1\r\n")
            let fast = try TestClient(port: port)
            let start = monotonicNanoseconds()
            var answered = 0
            var slowClosed = false
            while monotonicNanoseconds() - start < 2_500_000_000 {
                try fast.send("GET /f HTTP/1.1\r\n\r\n")
                if try fast.readResponse().status == 200 { answered += 1 }
                if !slowClosed && (try? slow.send("X-A: b\r\n")) == nil { slowClosed = true }
                usleep(100_000)
            }
            #expect(answered >= 10)
            #expect(slowClosed || slow.isClosedByServer())
            #expect(server.openConnections == 1)
        }
    }

    @Test("an idle keep-alive connection is closed after idleTimeout")
    func idleTimeout() throws {
        try withServer(limits: testLimits { $0.idleTimeout = 0.5 }) { server, port, _ in
            let client = try TestClient(port: port)
            try client.send("GET / HTTP/1.1\r\n\r\n")
            _ = try client.readResponse()
            #expect(client.isClosedByServer())
            usleep(50_000)
            #expect(server.openConnections == 0)
        }
    }

    @Test("a client that disconnects mid-body makes the read throw, and the server keeps serving")
    func disconnectMidBody() throws {
        try withServer(limits: testLimits()) { _, port, handler in
            do {
                let client = try TestClient(port: port)
                try client.send(
                    "PUT /read HTTP/1.1\r\nContent-Length: 1000\r\n\r\n" + String(repeating: "a", count: 100))
                usleep(100_000)
            }
            var waited = 0
            while handler.bodyReads.withLock({ $0.isEmpty }) && waited < 50 {
                usleep(20_000)
                waited += 1
            }
            #expect(handler.bodyReads.withLock { $0 } == ["threw truncated"])
            let other = try TestClient(port: port)
            try other.send("GET /still HTTP/1.1\r\n\r\n")
            #expect(try other.readResponse().text == "hello /still")
        }
    }

    @Test("connections past maxConnections are accepted and closed at once")
    func connectionCap() throws {
        try withServer(limits: testLimits { $0.maxConnections = 2 }) { server, port, _ in
            let a = try TestClient(port: port)
            let b = try TestClient(port: port)
            try a.send("GET /a HTTP/1.1\r\n\r\n")
            _ = try a.readResponse()
            try b.send("GET /b HTTP/1.1\r\n\r\n")
            _ = try b.readResponse()
            let c = try TestClient(port: port)
            #expect(c.isClosedByServer())
            #expect(server.openConnections == 2)
            try a.send("GET /a2 HTTP/1.1\r\n\r\n")
            #expect(try a.readResponse().status == 200)
        }
    }

    @Test("shutdown lets an in-flight request finish, then new connections fail")
    func gracefulShutdown() throws {
        let handler = TestHandler()
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(
                listen: [.init(host: "127.0.0.1", port: 0)], limits: testLimits()),
            handler: handler, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try server.start()
        let port = server.boundPorts[0]
        let idle = try TestClient(port: port)
        let client = try TestClient(port: port)
        try client.send("GET /slow HTTP/1.1\r\n\r\n")
        usleep(200_000)
        let stopper = spawnThread { server.shutdown() }
        let r = try client.readResponse()
        #expect(r.text == "slow done")
        #expect(r.headers["connection"] == "close")
        #expect(idle.isClosedByServer())
        pthread_join(stopper, nil)
        #expect((try? TestClient(port: port)) == nil)
        #expect(server.openConnections == 0)
        server.shutdown()
    }

    @Test("start throws when the port is taken, without crashing")
    func portInUse() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let second = HTTPServer(
                configuration: HTTPServerConfiguration(listen: [.init(host: "127.0.0.1", port: port)]),
                handler: TestHandler(),
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            #expect(throws: IOError.self) { try second.start() }
            second.shutdown()
        }
    }

    @Test("the server answers over IPv6")
    func ipv6() throws {
        try withServer(limits: testLimits(), host: "::1") { _, port, handler in
            let client = try TestClient(port: port, host: "::1")
            try client.send("GET /six HTTP/1.1\r\n\r\n")
            #expect(try client.readResponse().text == "hello /six")
            #expect(eventually { handler.completions.withLock { $0.first?.remoteAddress } == "::1" })
        }
    }
}
