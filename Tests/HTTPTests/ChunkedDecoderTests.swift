import Testing

@testable import HTTP

/// Runs the decoder over `pieces` as successive reads; returns the payload and how it ended.
private func decode(_ pieces: [[UInt8]], maxData: Int = 1 << 20) -> (
    payload: [UInt8], outcome: ChunkedDecoder.Step, leftover: [UInt8]
) {
    var decoder = ChunkedDecoder()
    var pending: [UInt8] = []
    var payload: [UInt8] = []
    var pieceIndex = 0
    while true {
        let (step, consumed) = pending.withUnsafeBytes { decoder.next($0, maxData: maxData) }
        switch step {
        case .data(let range):
            payload.append(contentsOf: pending[range])
            pending.removeFirst(consumed)
        case .needMore:
            pending.removeFirst(consumed)
            guard pieceIndex < pieces.count else { return (payload, .needMore, pending) }
            pending.append(contentsOf: pieces[pieceIndex])
            pieceIndex += 1
        case .end:
            pending.removeFirst(consumed)
            let rest = pending + pieces[pieceIndex...].flatMap { $0 }
            return (payload, .end, rest)
        case .invalid:
            return (payload, step, pending)
        }
    }
}

private let validBodies: [(String, String)] = [
    ("5\r\nhello\r\n0\r\n\r\n", "hello"),
    ("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world"),
    ("A;name=value\r\n0123456789\r\n0;x\r\n\r\n", "0123456789"),
    ("a \r\n0123456789\r\n000\r\nTrailer: x\r\nMore: y\r\n\r\n", "0123456789"),
    ("3\nabc\n0\n\n", "abc"),
    ("0\r\n\r\n", ""),
    ("1\r\n\r\r\n1\r\n\n\r\n0\r\n\r\n", "\r\n"),
]

@Test("chunked bodies decode the same at every split offset and with tiny reads", arguments: validBodies)
func chunkedValid(_ encoded: String, _ expected: String) {
    let bytes = Array(encoded.utf8) + Array("NEXT".utf8)
    let whole = decode([bytes])
    #expect(whole.payload == Array(expected.utf8))
    #expect(whole.outcome == .end)
    #expect(whole.leftover == Array("NEXT".utf8))
    for split in 0...bytes.count {
        let r = decode([Array(bytes[0..<split]), Array(bytes[split...])])
        #expect(r.payload == Array(expected.utf8), "split at \(split)")
        #expect(r.leftover == Array("NEXT".utf8), "split at \(split)")
    }
    let byteByByte = decode(bytes.map { [$0] }, maxData: 1)
    #expect(byteByByte.payload == Array(expected.utf8))
    #expect(byteByByte.outcome == .end)
}

private let invalidBodies: [String] = [
    "zz\r\nhello\r\n0\r\n\r\n",
    "\r\n",
    "5\r\nhelloX\r\n0\r\n\r\n",
    "5\r\nhello\rX0\r\n\r\n",
    "5\rX",
    "-5\r\nhello\r\n0\r\n\r\n",
    "1000000000000000\r\n",
    "5 x\r\nhello\r\n0\r\n\r\n",
    "5;a\u{01}\r\nhello\r\n0\r\n\r\n",
    "0\r\n\rX",
]

@Test("broken chunked framing is reported at every split offset", arguments: invalidBodies)
func chunkedInvalid(_ encoded: String) {
    let bytes = Array(encoded.utf8)
    for split in 0...bytes.count {
        let r = decode([Array(bytes[0..<split]), Array(bytes[split...])])
        guard case .invalid = r.outcome else {
            Issue.record("split \(split): \(r.outcome)")
            continue
        }
    }
}

@Test("a truncated chunked body asks for more instead of ending")
func chunkedTruncated() {
    let r = decode([Array("5\r\nhel".utf8)])
    #expect(r.outcome == .needMore)
    #expect(r.payload == Array("hel".utf8))
}
