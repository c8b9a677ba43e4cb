import Synchronization
import Testing

@testable import HTTP

#if canImport(Glibc)
    import Glibc
#endif

/// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
private struct Noise {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
    mutating func bytes(_ count: Int, from alphabet: [UInt8]) -> [UInt8] {
        (0..<count).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
    }
}

private let headAlphabet = Array("GET /a:b HTTP/1.1\r\n\t-;0xzZ\u{7F}".utf8) + [0, 0x80, 0xFF]

@Test("random bytes never crash the head parser or the chunked decoder")
func fuzzParsers() {
    var noise = Noise(state: 0x9E37_79B9_7F4A_7C15)
    for round in 0..<3000 {
        let prefix = round % 2 == 0 ? Array("GET / HTTP/1.1\r\n".utf8) : []
        let bytes = prefix + noise.bytes(Int(noise.next() % 300), from: headAlphabet)
        var parser = RequestHeadParser(maxHeadBytes: 256, maxHeaderCount: 8)
        let split = bytes.isEmpty ? 0 : Int(noise.next() % UInt64(bytes.count))
        _ = Array(bytes[0..<split]).withUnsafeBytes { parser.parse($0) }
        _ = bytes.withUnsafeBytes { parser.parse($0) }

        var decoder = ChunkedDecoder()
        var input = Array(bytes[...])
        for _ in 0..<50 {
            let (step, consumed) = input.withUnsafeBytes { decoder.next($0, maxData: 7) }
            #expect(consumed <= input.count)
            input.removeFirst(consumed)
            if case .data = step { continue }
            break
        }
    }
}

/// More server behaviour over real sockets.
@Suite(.serialized) struct HTTPServerEdgeTests {
    @Test("an unread small body is drained and the connection kept")
    func unreadBodyDrained() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let client = try TestClient(port: port)
            try client.send(
                "PUT /ignore HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789GET /next HTTP/1.1\r\n\r\n")
            let r = try client.readResponse()
            #expect(r.status == 200)
            #expect(r.headers["connection"] == nil)
            #expect(try client.readResponse().text == "hello /next")
        }
    }

    @Test("an unread body over 1 MiB closes the connection after the response")
    func unreadLargeBodyCloses() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let client = try TestClient(port: port)
            try client.send("PUT /ignore HTTP/1.1\r\nContent-Length: 5000000\r\n\r\n0123")
            let r = try client.readResponse()
            #expect(r.headers["connection"] == "close")
            #expect(client.isClosedByServer())
        }
    }

    @Test("a large Content-Length body is echoed intact")
    func largeBody() throws {
        try withServer(limits: testLimits()) { _, port, handler in
            let client = try TestClient(port: port)
            let data = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try client.send("PUT /echo HTTP/1.1\r\nContent-Length: \(data.count)\r\n\r\n")
            try client.send(data)
            let r = try client.readResponse()
            #expect(r.body == data)
            #expect(eventually { handler.completions.withLock { $0.first?.bytesIn } == 3_000_000 })
        }
    }

    @Test("connections spread over several event loops are all served")
    func severalEventLoops() throws {
        try withServer(limits: testLimits(), eventLoops: 3) { server, port, _ in
            let clients = try (0..<7).map { _ in try TestClient(port: port) }
            for round in 0..<3 {
                for (i, c) in clients.enumerated() { try c.send("GET /c\(i)r\(round) HTTP/1.1\r\n\r\n") }
                for (i, c) in clients.enumerated() {
                    #expect(try c.readResponse().text == "hello /c\(i)r\(round)")
                }
            }
            #expect(server.openConnections == 7)
        }
    }

    @Test("garbage from many clients is refused and the server keeps serving")
    func garbageClients() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            var noise = Noise(state: 42)
            for _ in 0..<20 {
                let client = try TestClient(port: port)
                try client.send(noise.bytes(200, from: headAlphabet) + Array("\r\n\r\n".utf8))
                _ = client.isClosedByServer()
            }
            let client = try TestClient(port: port)
            try client.send("GET /alive HTTP/1.1\r\n\r\n")
            #expect(try client.readResponse().text == "hello /alive")
        }
    }

    @Test("a client that stops reading fails the sendfile after ioTimeout instead of holding a worker")
    func stalledReader() throws {
        let path = "/tmp/httptests-\(getpid())-sparse"
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        ftruncate(fd, 64 << 20)
        close(fd)
        defer { unlink(path) }
        try withServer(limits: testLimits { $0.ioTimeout = 0.5 }, handler: TestHandler(filePath: path)) {
            server, port, handler in
            let client = try TestClient(port: port)
            try client.send("GET /bigfile HTTP/1.1\r\n\r\n")
            // Each blocking step of sendfile may wait ioTimeout; a few of them fit before it fails.
            for _ in 0..<80 where handler.completions.withLock({ $0.isEmpty }) { usleep(100_000) }
            #expect(handler.completions.withLock { $0.first?.failure?.contains("sendfile") ?? false })
            #expect(eventually { server.openConnections == 0 })
        }
    }

    @Test("bracketed IPv6 and localhost listen addresses are accepted")
    func listenSpellings() throws {
        let a = try makeListenSocket(host: "[::1]", port: 0, v6Only: true)
        let b = try makeListenSocket(host: "localhost", port: 0, v6Only: true)
        #expect(a.port > 0 && b.port > 0)
        close(a.fd)
        close(b.fd)
        #expect(throws: IOError.self) { try makeListenSocket(host: "not an address", port: 0, v6Only: true) }
    }
}

@Suite(.serialized) struct HTTPServerStressTests {
    @Test("many clients mixing bodies, pipelining and abrupt disconnects leave no connection behind")
    func mixedLoad() throws {
        try withServer(limits: testLimits { $0.ioTimeout = 1 }, workers: 8, eventLoops: 2) {
            server, port, _ in
            let failures = Mutex<[String]>([])
            let threads = (0..<12).map { t in
                spawnThread {
                    var noise = Noise(state: UInt64(t + 1) &* 0x2545_F491_4F6C_DD1D)
                    for i in 0..<40 {
                        do {
                            let client = try TestClient(port: port)
                            switch noise.next() % 5 {
                            case 0:
                                let body = noise.bytes(Int(noise.next() % 20_000), from: headAlphabet)
                                try client.send("PUT /echo HTTP/1.1\r\nContent-Length: \(body.count)\r\n\r\n")
                                try client.send(body)
                                if try client.readResponse().body != body {
                                    failures.withLock { $0.append("echo") }
                                }
                            case 1:
                                try client.send(
                                    "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n")
                                for p in ["a", "b", "c"] where try client.readResponse().text != "hello /\(p)"
                                {
                                    failures.withLock { $0.append("pipeline") }
                                }
                            case 2:
                                try client.send("PUT /read HTTP/1.1\r\nContent-Length: 100000\r\n\r\nabc")
                            case 3:
                                try client.send(
                                    "PUT /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                                )
                                if try client.readResponse().text != "abc" {
                                    failures.withLock { $0.append("chunked") }
                                }
                            default:
                                try client.send("GET /half")
                            }
                        } catch {
                            failures.withLock { $0.append("thread \(t) round \(i): \(error)") }
                        }
                    }
                }
            }
            for thread in threads { pthread_join(thread, nil) }
            #expect(failures.withLock { $0 } == [])
            #expect(eventually { server.openConnections == 0 })
        }
    }
}
