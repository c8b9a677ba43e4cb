import Testing

@testable import HTTP

/// A response head that must parse, with what it must yield.
struct ValidResponseHead: Sendable, CustomTestStringConvertible {
    var text: String
    var status: Int
    var reason: String
    var minor: Int
    var headers: [(String, String)]
    var keepAlive = true
    var testDescription: String { text.debugDescription }
}

private let validResponseHeads: [ValidResponseHead] = [
    ValidResponseHead(
        text: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: \"abc\"\r\n\r\n", status: 200, reason: "OK",
        minor: 1,
        headers: [("Content-Length", "5"), ("ETag", "\"abc\"")]),
    ValidResponseHead(
        text: "HTTP/1.1 204\r\n\r\n", status: 204, reason: "", minor: 1, headers: []),
    ValidResponseHead(
        text: "HTTP/1.1 404 Not  Found\nx-amz-request-id:  R1  \n\n", status: 404, reason: "Not  Found",
        minor: 1,
        headers: [("x-amz-request-id", "R1")]),
    ValidResponseHead(
        text: "\r\nHTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n", status: 200, reason: "OK", minor: 0,
        headers: [("Connection", "keep-alive")]),
    ValidResponseHead(
        text: "HTTP/1.0 503 Service Unavailable\r\n\r\n", status: 503, reason: "Service Unavailable",
        minor: 0,
        headers: [], keepAlive: false),
    ValidResponseHead(
        text: "HTTP/1.1 200 OK\r\nConnection: Keep-Alive, close\r\nServer: é\r\n\r\n", status: 200,
        reason: "OK",
        minor: 1, headers: [("Connection", "Keep-Alive, close"), ("Server", "é")], keepAlive: false),
]

private let invalidResponseHeads: [String] = [
    "HTTP/2 200 OK\r\n\r\n",
    "HTTP/1.2 200 OK\r\n\r\n",
    "http/1.1 200 OK\r\n\r\n",
    "HTTP/1.1 20 OK\r\n\r\n",
    "HTTP/1.1 2000 OK\r\n\r\n",
    "HTTP/1.1 099 Low\r\n\r\n",
    "HTTP/1.1 200 OK\r\n Folded: x\r\n\r\n",
    "HTTP/1.1 200 OK\r\nName : x\r\n\r\n",
    "HTTP/1.1 200 OK\r\nA: b\u{1}c\r\n\r\n",
    "HTTP/1.1 200 OK\rX: y\r\n\r\n",
    "HTTP/1.1 200 OK\r\nX: y\r\n\rZ",
    "SSH-2.0-OpenSSH\r\n\r\n",
]

/// Feeds `bytes` as two reads split at `split`; the result after the last one.
private func parse(
    _ bytes: [UInt8], splitAt split: Int? = nil, maxHeadBytes: Int = 64 * 1024, maxHeaders: Int = 200
)
    -> ResponseHeadParser.Result
{
    var parser = ResponseHeadParser(maxHeadBytes: maxHeadBytes, maxHeaderCount: maxHeaders)
    if let split {
        let first = Array(bytes[0..<split]).withUnsafeBytes { parser.parse($0) }
        if first != .needMore { return first }
    }
    return bytes.withUnsafeBytes { parser.parse($0) }
}

@Suite("Response head parser")
struct ResponseHeadParserTests {
    @Test("valid heads give their status, reason, headers and keep-alive", arguments: validResponseHeads)
    func valid(_ head: ValidResponseHead) throws {
        let bytes = Array(head.text.utf8) + Array("body".utf8)
        guard case .complete(let parsed, let length) = parse(bytes) else {
            Issue.record("did not parse: \(parse(bytes))")
            return
        }
        #expect(length == head.text.utf8.count)
        #expect(parsed.status == head.status)
        #expect(parsed.reason == head.reason)
        #expect(parsed.minorVersion == head.minor)
        #expect(parsed.headers.fields.map { [$0.name, $0.value] } == head.headers.map { [$0.0, $0.1] })
        #expect(parsed.keepAlive == head.keepAlive)
    }

    @Test("a head split at every offset parses exactly as in one read", arguments: validResponseHeads)
    func everySplit(_ head: ValidResponseHead) {
        let bytes = Array(head.text.utf8)
        let whole = parse(bytes)
        for split in 0...bytes.count {
            #expect(parse(bytes, splitAt: split) == whole, "split at \(split)")
        }
    }

    @Test("an incomplete head asks for more at every length")
    func incomplete() {
        let bytes = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8)
        for count in 0..<bytes.count {
            #expect(parse(Array(bytes[0..<count])) == .needMore, "\(count) bytes")
        }
    }

    @Test("malformed heads are refused, however they are split", arguments: invalidResponseHeads)
    func invalid(_ text: String) {
        let bytes = Array(text.utf8)
        for split in 0...bytes.count {
            guard case .invalid = parse(bytes, splitAt: split) else {
                Issue.record("accepted when split at \(split): \(parse(bytes, splitAt: split))")
                return
            }
        }
    }

    @Test("heads past the size or field limits are refused")
    func limits() {
        let long = Array(("HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 200) + "\r\n\r\n").utf8)
        #expect(parse(long, maxHeadBytes: 100) == .invalid("response head too large"))
        let many = Array(("HTTP/1.1 200 OK\r\n" + String(repeating: "A: b\r\n", count: 4) + "\r\n").utf8)
        #expect(parse(many, maxHeaders: 3) == .invalid("too many header fields"))
        guard case .complete = parse(many, maxHeaders: 4) else {
            Issue.record("4 fields refused with a limit of 4")
            return
        }
    }

    @Test(
        "the body's framing follows RFC 9112 section 6.3",
        arguments: [
            ("GET", 200, [("Content-Length", "10")], ResponseFraming.length(10)),
            ("HEAD", 200, [("Content-Length", "10")], .none),
            ("GET", 204, [], .none),
            ("GET", 304, [("Content-Length", "10")], .none),
            ("GET", 200, [("Transfer-Encoding", "chunked")], .chunked),
            ("GET", 200, [("Transfer-Encoding", "gzip, Chunked"), ("Content-Length", "3")], .chunked),
            ("GET", 200, [("Transfer-Encoding", "gzip")], .untilClose),
            ("GET", 200, [], .untilClose),
            ("PUT", 200, [("Content-Length", "0")], .length(0)),
            ("GET", 200, [("Content-Length", "7, 7")], .length(7)),
        ] as [(String, Int, [(String, String)], ResponseFraming)])
    func framing(method: String, status: Int, headers: [(String, String)], expected: ResponseFraming) {
        let head = ResponseHead(status: status, reason: "", minorVersion: 1, headers: HTTPHeaders(headers))
        #expect(head.framing(forRequestMethod: method) == expected)
    }

    @Test(
        "a malformed or conflicting Content-Length gives no framing",
        arguments: ["-1", "1a", "", "5, 6", "0x10"])
    func badLength(value: String) {
        let head = ResponseHead(
            status: 200, reason: "", minorVersion: 1, headers: HTTPHeaders([("Content-Length", value)]))
        #expect(head.framing(forRequestMethod: "GET") == nil)
    }
}
