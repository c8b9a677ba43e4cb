import Testing

@testable import HTTP

/// Parses `text` in one call.
private func parseWhole(_ bytes: [UInt8], maxHeadBytes: Int = 64 * 1024, maxHeaderCount: Int = 200)
    -> RequestHeadParser.Result
{
    var parser = RequestHeadParser(maxHeadBytes: maxHeadBytes, maxHeaderCount: maxHeaderCount)
    return bytes.withUnsafeBytes { parser.parse($0) }
}

/// Parses `bytes` as if they arrived in two reads split at `split`.
private func parseSplit(_ bytes: [UInt8], at split: Int) -> (
    first: RequestHeadParser.Result, final: RequestHeadParser.Result
) {
    var parser = RequestHeadParser()
    let first = Array(bytes[0..<split]).withUnsafeBytes { parser.parse($0) }
    if first != .needMore { return (first, first) }
    let final = bytes.withUnsafeBytes { parser.parse($0) }
    return (first, final)
}

/// Heads that must parse, with what they must yield.
struct ValidHead: Sendable, CustomTestStringConvertible {
    var text: String
    var method: String
    var target: String
    var minor: Int
    var headers: [(String, String)]
    var framing: BodyFraming
    var expectContinue = false
    var keepAlive = true
    var testDescription: String { text.debugDescription }
}

private let validHeads: [ValidHead] = [
    ValidHead(
        text: "GET / HTTP/1.1\r\nHost: a\r\n\r\n", method: "GET", target: "/", minor: 1,
        headers: [("Host", "a")],
        framing: .none),
    ValidHead(
        text: "PUT /b/k%20x?uploads HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\nX-Amz-Meta-A:  v  \r\n\r\n",
        method: "PUT", target: "/b/k%20x?uploads", minor: 1,
        headers: [("Host", "h"), ("Content-Length", "12"), ("X-Amz-Meta-A", "v")], framing: .length(12)),
    ValidHead(
        text: "POST /x HTTP/1.1\nTransfer-Encoding: Chunked\nExpect: 100-continue\n\n", method: "POST",
        target: "/x",
        minor: 1, headers: [("Transfer-Encoding", "Chunked"), ("Expect", "100-continue")], framing: .chunked,
        expectContinue: true),
    ValidHead(
        text: "\r\n\r\nHEAD /o HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", method: "HEAD", target: "/o",
        minor: 0,
        headers: [("Connection", "Keep-Alive")], framing: .none),
    ValidHead(
        text: "GET / HTTP/1.0\r\n\r\n", method: "GET", target: "/", minor: 0, headers: [], framing: .none,
        keepAlive: false),
    ValidHead(
        text: "PUT /e HTTP/1.0\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n", method: "PUT",
        target: "/e", minor: 0, headers: [("Content-Length", "0"), ("Expect", "100-continue")],
        framing: .length(0), keepAlive: false),
    ValidHead(
        text:
            "GET / HTTP/1.1\r\nConnection: foo, close\r\nEmpty:\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
        method: "GET", target: "/", minor: 1,
        headers: [
            ("Connection", "foo, close"), ("Empty", ""), ("Content-Length", "0"), ("Content-Length", "0"),
        ],
        framing: .length(0), keepAlive: false),
    ValidHead(
        text: "DELETE /caf\u{e9}?v=\u{fc} HTTP/1.1\r\nX: \u{e9}t\u{e9}\r\n\r\n", method: "DELETE",
        target: "/caf\u{e9}?v=\u{fc}", minor: 1, headers: [("X", "\u{e9}t\u{e9}")], framing: .none),
]

@Test("valid heads parse the same whether they arrive at once or split at any offset", arguments: validHeads)
func validHeadsParse(_ example: ValidHead) {
    let bytes = Array(example.text.utf8) + Array("GET /next".utf8)
    let headLength = example.text.utf8.count
    let expected = RequestHead(
        method: example.method, target: example.target, minorVersion: example.minor,
        headers: HTTPHeaders(example.headers), framing: example.framing,
        expectContinue: example.expectContinue,
        keepAlive: example.keepAlive)
    #expect(parseWhole(bytes) == .complete(expected, length: headLength))
    for split in 0...headLength {
        let (_, final) = parseSplit(bytes, at: split)
        #expect(final == .complete(expected, length: headLength), "split at \(split)")
    }
}

@Test("a head fed one byte at a time completes exactly at its last byte")
func headByteByByte() {
    let bytes = Array("GET /a HTTP/1.1\r\nHost: x\r\nA: b\r\n\r\n".utf8)
    var parser = RequestHeadParser()
    for n in 1..<bytes.count {
        #expect(Array(bytes[0..<n]).withUnsafeBytes { parser.parse($0) } == .needMore)
    }
    guard case .complete(let head, let length) = bytes.withUnsafeBytes({ parser.parse($0) }) else {
        Issue.record("not complete")
        return
    }
    #expect(length == bytes.count)
    #expect(head.headers["a"] == "b")
}

/// Heads that must be refused, with the status.
private let invalidHeads: [(String, Int)] = [
    ("GET /\r\n\r\n", 400),
    (" / HTTP/1.1\r\n\r\n", 400),
    ("GET  / HTTP/1.1\r\n\r\n", 400),
    ("G(T / HTTP/1.1\r\n\r\n", 400),
    ("GET / HTTP/2.0\r\n\r\n", 400),
    ("GET / HTTP/1.10\r\n\r\n", 400),
    ("GET / http/1.1\r\n\r\n", 400),
    ("GET /a\u{7F} HTTP/1.1\r\n\r\n", 400),
    ("GET / HTTP/1.1\rX\n\r\n", 400),
    ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
    ("GET / HTTP/1.1\r\n: a\r\n\r\n", 400),
    ("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400),
    ("GET / HTTP/1.1\r\nA: b\u{01}c\r\n\r\n", 400),
    ("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n", 400),
    ("GET / HTTP/1.1\r\nA: b\r\n\rX", 400),
    ("PUT / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
    ("PUT / HTTP/1.1\r\nContent-Length: 12a\r\n\r\n", 400),
    ("PUT / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
    ("PUT / HTTP/1.1\r\nContent-Length: \r\n\r\n", 400),
    ("PUT / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 400),
    ("PUT / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
    ("PUT / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 400),
    ("PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
    ("PUT / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
]

@Test("malformed heads are refused at every split offset", arguments: invalidHeads)
func invalidHeadsRefused(_ text: String, _ status: Int) {
    let bytes = Array(text.utf8)
    guard case .invalid(let got, _) = parseWhole(bytes) else {
        Issue.record("accepted: \(text.debugDescription)")
        return
    }
    #expect(got == status)
    for split in 0...bytes.count {
        let (first, final) = parseSplit(bytes, at: split)
        #expect(first == .needMore || first == final)
        guard case .invalid(let s, _) = final else {
            Issue.record("split \(split) accepted")
            continue
        }
        #expect(s == status)
    }
}

@Test("a head longer than maxHeadBytes is refused with 431, even before it ends")
func headTooLarge() {
    let big = "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 70 * 1024)
    guard case .invalid(let status, _) = parseWhole(Array(big.utf8)) else {
        Issue.record("not refused")
        return
    }
    #expect(status == 431)
    let exact = "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 100) + "\r\n\r\n"
    guard case .complete = parseWhole(Array(exact.utf8), maxHeadBytes: exact.utf8.count) else {
        Issue.record("a head of exactly maxHeadBytes must pass")
        return
    }
    #expect(parseWhole(Array(exact.utf8), maxHeadBytes: exact.utf8.count - 1).isInvalid(431))
}

@Test("more header fields than maxHeaderCount are refused with 431")
func tooManyHeaders() {
    let fields = (0..<201).map { "H\($0): v\r\n" }.joined()
    #expect(parseWhole(Array(("GET / HTTP/1.1\r\n" + fields + "\r\n").utf8)).isInvalid(431))
    let ok = (0..<200).map { "H\($0): v\r\n" }.joined()
    guard case .complete(let head, _) = parseWhole(Array(("GET / HTTP/1.1\r\n" + ok + "\r\n").utf8)) else {
        Issue.record("200 fields must pass")
        return
    }
    #expect(head.headers.count == 200)
}

extension RequestHeadParser.Result {
    func isInvalid(_ status: Int) -> Bool {
        if case .invalid(let s, _) = self { return s == status }
        return false
    }
}
