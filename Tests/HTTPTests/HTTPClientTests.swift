import Foundation
import Synchronization
import Testing

@testable import HTTP

#if canImport(Glibc)
    import Glibc
#endif

private func makeClient(_ change: (inout HTTPClientConfiguration) -> Void = { _ in }) -> HTTPClient {
    var configuration = HTTPClientConfiguration()
    configuration.ioTimeout = 5
    change(&configuration)
    return HTTPClient(configuration: configuration)
}

private func local(_ port: Int) -> HTTPEndpoint { HTTPEndpoint(useTLS: false, host: "127.0.0.1", port: port) }

private func pattern(_ count: Int) -> [UInt8] { testPattern(count) }

/// A server answering every request on a connection with `ok`, keep-alive.
private func keepAliveServer() throws -> ScriptedServer {
    try ScriptedServer { connection, _ in
        while connection.readHead() != nil {
            connection.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        }
        connection.close()
    }
}

/// Our HTTP client against our server and against scripted misbehaving ones, over real sockets.
@Suite(.serialized) struct HTTPClientTests {
    @Test("a GET reads its Content-Length body and the connection serves the next request")
    func keepAlive() throws {
        let server = try keepAliveServer()
        let client = makeClient()
        for _ in 0..<3 {
            let response = try client.execute(
                HTTPClientRequest(method: "GET", endpoint: server.endpoint, target: "/a"))
            #expect(response.status == 200)
            #expect(try response.body.readAll(limit: 100) == Array("ok".utf8))
            #expect(response.body.isComplete)
            #expect(client.idleConnectionCount == 1)
        }
        #expect(server.accepted == 1)
    }

    @Test("chunked bodies and bodies ending with the connection are read whole")
    func framings() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let client = makeClient()
            let chunked = try client.execute(
                HTTPClientRequest(method: "GET", endpoint: local(port), target: "/chunked"))
            #expect(chunked.headers["transfer-encoding"] == "chunked")
            #expect(
                try chunked.body.readAll(limit: 1 << 20)
                    == (0..<100_000).map { UInt8(truncatingIfNeeded: $0 % 251) })
            #expect(client.idleConnectionCount == 1)
        }
        let closing = try ScriptedServer { connection, _ in
            _ = connection.readHead()
            connection.send("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end")
            connection.close()
        }
        let client = makeClient()
        let response = try client.execute(
            HTTPClientRequest(method: "GET", endpoint: closing.endpoint, target: "/"))
        #expect(try response.body.readAll(limit: 100) == Array("until the end".utf8))
        #expect(client.idleConnectionCount == 0)
    }

    @Test("HEAD and 204 answers have no body and keep the connection")
    func noBody() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let client = makeClient()
            let head = try client.execute(
                HTTPClientRequest(method: "HEAD", endpoint: local(port), target: "/head"))
            #expect(head.headers["content-length"] == "1234")
            #expect(head.body.isComplete)
            let empty = try client.execute(
                HTTPClientRequest(method: "GET", endpoint: local(port), target: "/nocontent"))
            #expect(empty.status == 204 && empty.body.isComplete)
            #expect(client.idleConnectionCount == 1)
        }
    }

    @Test("a streamed PUT sends exactly its bytes", arguments: [0, 1, 256 * 1024, 3 << 20])
    func streamedPut(size: Int) throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let body = pattern(size)
            let response = try makeClient().execute(
                HTTPClientRequest(
                    method: "PUT", endpoint: local(port), target: "/echo",
                    body: .stream(BufferSource(body), length: Int64(size))))
            #expect(response.status == 200)
            #expect(try response.body.readAll(limit: 8 << 20) == body)
        }
    }

    @Test(
        "a streamed body shorter or longer than declared fails before the server has it whole",
        arguments: [(20, 10), (20, 21), (300_000, 299_999), (300_000, 300_001)])
    func wrongLength(declared: Int, actual: Int) throws {
        try withServer(limits: testLimits()) { _, port, handler in
            do throws(HTTPClientError) {
                _ = try makeClient().execute(
                    HTTPClientRequest(
                        method: "PUT", endpoint: local(port), target: "/read",
                        body: .stream(BufferSource(pattern(actual)), length: Int64(declared))))
                Issue.record("the request succeeded")
            } catch {
                guard case .bodyLength(let expected, let got) = error else {
                    Issue.record("expected bodyLength, got \(error)")
                    return
                }
                #expect(expected == Int64(declared) && got == Int64(min(actual, declared + 1)))
            }
            if declared > HTTPClientConfiguration().sendBufferSize {
                // Some buffers went out: the server saw a body end early.
                #expect(eventually { handler.bodyReads.withLock { $0.count } == 1 })
                #expect(handler.bodyReads.withLock { $0.first?.hasPrefix("threw") } == true)
            } else {
                // The only buffer was held back: the request never reached the server.
                let probe = try makeClient().execute(
                    HTTPClientRequest(method: "GET", endpoint: local(port), target: "/after"))
                _ = try probe.body.readAll(limit: 100)
                #expect(eventually { handler.completions.withLock { $0.count } == 1 })
                #expect(handler.completions.withLock { $0.map(\.target) } == ["/after"])
            }
        }
    }

    @Test(
        "a response body streamed on from a remote arrives whole, spliced when large",
        arguments: [1000, 200_000, 5 << 20])
    func forwarded(size: Int) throws {
        try withServer(limits: testLimits()) { _, upstream, _ in
            try withServer(limits: testLimits()) { _, proxy, _ in
                let client = makeClient()
                for _ in 0..<2 {
                    let response = try client.execute(
                        HTTPClientRequest(
                            method: "GET", endpoint: local(proxy),
                            target: "/forward/\(upstream)/sized/\(size)"))
                    #expect(response.status == 200)
                    #expect(try response.body.readAll(limit: 8 << 20) == pattern(size))
                }
            }
        }
    }

    @Test("a remote body that ends early cuts the forwarded response short")
    func forwardedTruncated() throws {
        let upstream = try ScriptedServer { connection, _ in
            _ = connection.readHead()
            connection.send(
                "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n" + String(repeating: "x", count: 300_000))
            connection.close()
        }
        try withServer(limits: testLimits()) { _, proxy, _ in
            let response = try makeClient().execute(
                HTTPClientRequest(method: "GET", endpoint: local(proxy), target: "/forward/\(upstream.port)/")
            )
            #expect(response.status == 200)
            #expect(throws: HTTPClientError.self) { _ = try response.body.readAll(limit: 2 << 20) }
            // The proxy still serves.
            let next = try makeClient().execute(
                HTTPClientRequest(method: "GET", endpoint: local(proxy), target: "/x"))
            #expect(try next.body.readAll(limit: 100) == Array("hello /x".utf8))
        }
    }

    @Test("a body abandoned before its end closes its connection instead of pooling it")
    func abandoned() throws {
        try withServer(limits: testLimits()) { _, port, _ in
            let client = makeClient()
            let response = try client.execute(
                HTTPClientRequest(method: "GET", endpoint: local(port), target: "/chunked"))
            var first = [UInt8](repeating: 0, count: 10)
            #expect(try first.withUnsafeMutableBytes { try response.body.read(into: $0) } == 10)
            response.body.close()
            #expect(client.idleConnectionCount == 0)
            let next = try client.execute(
                HTTPClientRequest(method: "GET", endpoint: local(port), target: "/x"))
            #expect(try next.body.readAll(limit: 100) == Array("hello /x".utf8))
        }
    }

    @Test("a pooled connection the server closed is retried once on a fresh one for idempotent requests")
    func staleRetry() throws {
        // The first connection answers one request, then reads the next and closes unanswered.
        let server = try ScriptedServer { connection, index in
            if index == 1 {
                _ = connection.readHead()
                connection.send("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1")
                _ = connection.readHead()
                connection.close()
                return
            }
            while connection.readHead() != nil {
                connection.send("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n2")
            }
            connection.close()
        }
        let client = makeClient()
        for expected in ["1", "2"] {
            let response = try client.execute(
                HTTPClientRequest(
                    method: "PUT", endpoint: server.endpoint, target: "/k", body: .bytes([1, 2, 3])))
            #expect(try response.body.readAll(limit: 10) == Array(expected.utf8))
        }
        #expect(server.accepted == 2)
    }

    @Test("a streamed body or a POST is never sent twice", arguments: ["stream", "POST"])
    func noRetry(kind: String) throws {
        let server = try ScriptedServer { connection, _ in
            _ = connection.readHead()
            connection.send("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1")
            _ = connection.readHead()
            connection.close()
        }
        let client = makeClient()
        let first = try client.execute(
            HTTPClientRequest(method: "GET", endpoint: server.endpoint, target: "/"))
        _ = try first.body.readAll(limit: 10)
        let request =
            kind == "POST"
            ? HTTPClientRequest(method: "POST", endpoint: server.endpoint, target: "/?uploads")
            : HTTPClientRequest(
                method: "PUT", endpoint: server.endpoint, target: "/",
                body: .stream(BufferSource([1]), length: 1))
        #expect(throws: HTTPClientError.self) { _ = try client.execute(request) }
        #expect(server.accepted == 1)
    }

    @Test("a server that stops answering fails the request after the I/O timeout")
    func silentServer() throws {
        let server = try ScriptedServer { connection, _ in
            _ = connection.readHead()
            _ = connection.drainToEnd()
            connection.close()
        }
        let client = makeClient { $0.ioTimeout = 0.3 }
        do throws(HTTPClientError) {
            _ = try client.execute(HTTPClientRequest(method: "GET", endpoint: server.endpoint, target: "/"))
            Issue.record("the request succeeded")
        } catch {
            guard case .io(_, let cause) = error else {
                Issue.record("expected an I/O timeout, got \(error)")
                return
            }
            #expect(cause.errno == ETIMEDOUT)
        }
    }

    @Test("a refused connection and an unknown host are connect errors")
    func unreachable() throws {
        let closed = try ScriptedServer { connection, _ in connection.close() }
        let port = closed.port
        closed.stop()
        for endpoint in [local(port), HTTPEndpoint(useTLS: false, host: "no-such-host.invalid", port: 80)] {
            #expect {
                _ = try makeClient().execute(
                    HTTPClientRequest(method: "GET", endpoint: endpoint, target: "/"))
            } throws: { error in
                guard case .connect = error as? HTTPClientError else { return false }
                return true
            }
        }
    }

    @Test("https endpoints are verified against the configured CA and pooled like http ones")
    func https() throws {
        try withTLSServer { _, port, certificates in
            let client = makeClient { $0.caFile = certificates.first.caCertificate }
            for name in ["localhost", "127.0.0.1"] {
                let response = try client.execute(
                    HTTPClientRequest(
                        method: "GET", endpoint: HTTPEndpoint(useTLS: true, host: name, port: port),
                        target: "/tls"))
                #expect(response.status == 200)
                #expect(try response.body.readAll(limit: 100) == Array("hello /tls".utf8))
            }
            #expect(client.idleConnectionCount == 2)
            let untrusting = makeClient { $0.caFile = certificates.second.caCertificate }
            #expect {
                _ = try untrusting.execute(
                    HTTPClientRequest(
                        method: "GET", endpoint: HTTPEndpoint(useTLS: true, host: "localhost", port: port),
                        target: "/"))
            } throws: { error in
                guard case .connect(_, let why) = error as? HTTPClientError else { return false }
                return why.contains("certificate verify failed")
            }
        }
    }

    @Test(
        "requests from 16 threads share the pool and all succeed (connections given back while others are taken)"
    )
    func concurrent() throws {
        try withServer(limits: testLimits(), workers: 8) { _, port, _ in
            let client = makeClient()
            let failures = Counter()
            DispatchQueue.concurrentPerform(iterations: 16) { thread in
                for i in 0..<50 {
                    let target = "/t\(thread)-\(i)"
                    let ok =
                        (try? client.execute(
                            HTTPClientRequest(method: "GET", endpoint: local(port), target: target)))
                        .flatMap { try? $0.body.readAll(limit: 100) } == Array("hello \(target)".utf8)
                    if !ok { failures.value.add(1, ordering: .relaxed) }
                }
            }
            #expect(failures.value.load(ordering: .relaxed) == 0)
            #expect((1...16).contains(client.idleConnectionCount))
        }
    }

    @Test("the request head carries Host, the framing, and no line break from a value")
    func requestHead() {
        var headers = HTTPHeaders()
        headers.add("x-amz-meta-a", "one\r\ntwo")
        let head = HTTPClient.head(
            of: HTTPClientRequest(
                method: "PUT", endpoint: HTTPEndpoint(useTLS: false, host: "::1", port: 9000), target: "/b/k",
                headers: headers, body: .bytes([1, 2])))
        #expect(
            String(decoding: head, as: UTF8.self)
                == "PUT /b/k HTTP/1.1\r\nHost: [::1]:9000\r\nx-amz-meta-a: one two\r\nContent-Length: 2\r\n\r\n"
        )
        let get = HTTPClient.head(
            of: HTTPClientRequest(
                method: "GET", endpoint: HTTPEndpoint(useTLS: true, host: "s3.amazonaws.com"), target: "/"))
        #expect(String(decoding: get, as: UTF8.self) == "GET / HTTP/1.1\r\nHost: s3.amazonaws.com\r\n\r\n")
    }
}
