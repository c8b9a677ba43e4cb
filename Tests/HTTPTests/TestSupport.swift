import CLinux
import Logging
import Synchronization

@testable import HTTP

#if canImport(Glibc)
    import Glibc
#endif

/// A parsed response as a client sees it.
struct TestResponse {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

struct TestClientError: Error, CustomStringConvertible {
    var description: String
}

/// A blocking raw HTTP client for tests over a plain socket or TLS, with a 5 s receive
/// timeout so nothing hangs.
final class TestClient {
    let transport: any Transport
    var fd: Int32 { transport.fd }
    private var pending: [UInt8] = []

    /// A TLS connection made by `TransportConnector`, trusting `caFile`; `serverName` is the
    /// name verified and sent in SNI (default: `host`).
    init(tlsPort port: Int, caFile: String, host: String = "127.0.0.1", serverName: String? = nil) throws {
        transport = try TransportConnector.connect(
            host: host, port: port, tls: TLSClientConfiguration(caFile: caFile), serverName: serverName,
            connectTimeout: 5, ioTimeout: 5)
    }

    init(port: Int, host: String = "127.0.0.1", timeout: Int = 5) throws {
        let v6 = host.contains(":")
        let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let rc: Int32
        if v6 {
            var a = sockaddr_in6()
            a.sin6_family = sa_family_t(AF_INET6)
            a.sin6_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET6, host, &a.sin6_addr)
            rc = withUnsafePointer(to: &a) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, host, &a.sin_addr)
            rc = withUnsafePointer(to: &a) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        if rc != 0 {
            let code = clinux_errno()
            close(fd)
            throw TestClientError(description: "connect: errno \(code)")
        }
        transport = TCPTransport(fd: fd)
    }

    deinit { transport.close() }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Sends `bytes` in one write (one TLS record sequence on TLS).
    func send(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try transport.send($0) }
    }

    /// Receives more bytes into `pending`; false at end of stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let n = try chunk.withUnsafeMutableBytes { try transport.receive(into: $0) }
        if n == 0 { return false }
        pending.append(contentsOf: chunk[0..<n])
        return true
    }

    private func take(_ n: Int) throws -> [UInt8] {
        while pending.count < n {
            guard try fill() else { throw TestClientError(description: "closed before \(n) bytes") }
        }
        let out = Array(pending[0..<n])
        pending.removeFirst(n)
        return out
    }

    private func line() throws -> String {
        while true {
            if let i = pending.firstIndex(of: 0x0A) {
                let bytes = pending[0..<i]
                pending.removeFirst(i + 1)
                return String(decoding: bytes, as: UTF8.self).trimmingSuffix("\r")
            }
            guard try fill() else { throw TestClientError(description: "closed in a line") }
        }
    }

    /// Reads one response; `head` says it answers a HEAD request (no body).
    func readResponse(head: Bool = false) throws -> TestResponse {
        let statusLine = try line()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw TestClientError(description: "bad status line \(statusLine)")
        }
        var headers: [String: String] = [:]
        while true {
            let l = try line()
            if l.isEmpty { break }
            if let colon = l.firstIndex(of: ":") {
                headers[l[..<colon].lowercased()] = String(l[l.index(after: colon)...]).trimmingPrefix(" ")
            }
        }
        var body: [UInt8] = []
        if head || status == 204 || status == 304 || status < 200 {
        } else if headers["transfer-encoding"] == "chunked" {
            while true {
                let size = Int(try line().split(separator: ";")[0], radix: 16) ?? 0
                if size == 0 {
                    while try !line().isEmpty {}
                    break
                }
                body += try take(size)
                _ = try line()
            }
        } else if let length = headers["content-length"].flatMap({ Int($0) }) {
            body = try take(length)
        } else {
            while try fill() {}
            body = pending
            pending = []
        }
        return TestResponse(status: status, headers: headers, body: body)
    }

    /// True when the server closed the connection (end of stream or reset) within the timeout.
    func isClosedByServer() -> Bool {
        var byte: UInt8 = 0
        do throws(IOError) {
            return try withUnsafeMutableBytes(of: &byte) { buffer throws(IOError) in
                try transport.receive(into: buffer)
            }
                == 0
        } catch {
            return error.errno == ECONNRESET
        }
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
    fileprivate func trimmingPrefix(_ prefix: String) -> String {
        var s = Substring(self)
        while s.hasPrefix(prefix) { s = s.dropFirst(prefix.count) }
        return String(s)
    }
}

/// A handler whose behaviour depends on the path; records what happened for the tests.
/// `count` bytes of a repeating pattern that does not line up with powers of two.
func testPattern(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 * 7 + $0 / 251) }
}

final class TestHandler: HTTPHandler {
    /// Outcome of body reads on `/read`: "ok <n>" or "threw <error>".
    let bodyReads = Mutex<[String]>([])
    let completions = Mutex<[HTTPCompletion]>([])
    let refusals = Mutex<[Int]>([])
    /// `isTLS` of every request handled.
    let tlsFlags = Mutex<[Bool]>([])
    let filePath: String
    /// The client of `/forward/`.
    private let forwarder: HTTPClient = {
        var configuration = HTTPClientConfiguration()
        configuration.ioTimeout = 3
        return HTTPClient(configuration: configuration)
    }()

    init(filePath: String = "") { self.filePath = filePath }

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        tlsFlags.withLock { $0.append(request.isTLS) }
        switch request.path {
        case "/echo", "/read":
            do {
                let body = try request.body.readAll(limit: 1 << 24)
                bodyReads.withLock { $0.append("ok \(body.count)") }
                return HTTPResponse(status: 200, body: .bytes(body))
            } catch {
                bodyReads.withLock { $0.append("threw \(error)") }
                return HTTPResponse(status: 500, body: .bytes(Array("read failed".utf8)))
            }
        case "/head":
            var headers = HTTPHeaders()
            headers.add("Content-Length", "1234")
            return HTTPResponse(status: 200, headers: headers, body: .empty)
        case "/chunked":
            let data = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
            return HTTPResponse(status: 200, body: .stream(BufferSource(data), length: nil))
        case "/file":
            let fd = open(filePath, O_RDONLY)
            return HTTPResponse(
                status: 200, body: .stream(FileRegion(fd: fd, offset: 10, length: 300_000), length: 300_000))
        case "/smallfile":
            let fd = open(filePath, O_RDONLY)
            return HTTPResponse(
                status: 200, body: .stream(FileRegion(fd: fd, offset: 10, length: 4000), length: 4000))
        case "/shortfile":
            // Promises 4000 bytes where the file (400,000 bytes) has only 100 left.
            let fd = open(filePath, O_RDONLY)
            return HTTPResponse(
                status: 200, body: .stream(FileRegion(fd: fd, offset: 399_900, length: 4000), length: 4000))
        case "/bigfile":
            let fd = open(filePath, O_RDONLY)
            return HTTPResponse(
                status: 200, body: .stream(FileRegion(fd: fd, offset: 0, length: 64 << 20), length: 64 << 20))
        case "/slow":
            usleep(1_000_000)
            return HTTPResponse(status: 200, body: .bytes(Array("slow done".utf8)))
        case "/nocontent":
            return HTTPResponse(status: 204)
        case let path where path.hasPrefix("/sized/"):
            // `/sized/<n>`: n bytes of `testPattern`.
            return HTTPResponse(status: 200, body: .bytes(testPattern(Int(path.dropFirst(7)) ?? 0)))
        case let path where path.hasPrefix("/forward/"):
            // `/forward/<port>/<path>`: GETs 127.0.0.1:<port>/<path> and streams its body back.
            let rest = path.dropFirst(9)
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            do {
                let upstream = try forwarder.execute(
                    HTTPClientRequest(
                        method: "GET",
                        endpoint: HTTPEndpoint(
                            useTLS: false, host: "127.0.0.1", port: Int(rest[..<slash]) ?? 0),
                        target: String(rest[slash...])))
                let length = upstream.headers["content-length"].flatMap { Int64($0) }
                return HTTPResponse(status: upstream.status, body: .stream(upstream.body, length: length))
            } catch {
                return HTTPResponse(status: 502, body: .bytes(Array("\(error)".utf8)))
            }
        default:
            var headers = HTTPHeaders()
            headers.add("X-Path", request.path)
            return HTTPResponse(
                status: 200, headers: headers, body: .bytes(Array("hello \(request.target)".utf8)))
        }
    }

    func refuse(status: Int, reason: String, remoteAddress: String) -> HTTPResponse {
        refusals.withLock { $0.append(status) }
        return HTTPResponse(status: status, body: .bytes(Array(reason.utf8)))
    }

    func completed(_ event: HTTPCompletion) {
        completions.withLock { $0.append(event) }
    }
}

/// Runs `body` with a started server on an ephemeral port; shuts it down after.
func withServer(
    limits: HTTPLimits = HTTPLimits(), host: String = "127.0.0.1", workers: Int = 4, eventLoops: Int = 1,
    runningWorkers: Int? = nil, handler: TestHandler = TestHandler(),
    _ body: (HTTPServer, Int, TestHandler) throws -> Void
) throws {
    let server = HTTPServer(
        configuration: HTTPServerConfiguration(
            listen: [.init(host: host, port: 0)], limits: limits, workerCount: workers,
            eventLoopCount: eventLoops, runningWorkerLimit: runningWorkers),
        handler: handler, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    try server.start()
    defer { server.shutdown() }
    try body(server, server.boundPorts[0], handler)
}

/// Limits with short timeouts for tests.
func testLimits(_ change: (inout HTTPLimits) -> Void = { _ in }) -> HTTPLimits {
    var limits = HTTPLimits()
    limits.ioTimeout = 3
    limits.shutdownGrace = 3
    change(&limits)
    return limits
}

/// Waits up to 2 s for `condition` (the server records completions after the response is sent).
func eventually(_ condition: () -> Bool) -> Bool {
    for _ in 0..<200 {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}
