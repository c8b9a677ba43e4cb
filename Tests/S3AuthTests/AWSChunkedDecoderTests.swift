import Testing

@testable import S3Auth

/// Runs the decoder over `pieces` and returns the events, adjacent data merged into bytes.
private func decode(_ pieces: [[UInt8]], maxData: Int = 1 << 20) throws -> [String] {
    var decoder = AWSChunkedDecoder()
    var events: [String] = []
    var data: [UInt8] = []
    func flush() {
        if !data.isEmpty { events.append("data:" + String(decoding: data, as: UTF8.self)) }
        data = []
    }
    for piece in pieces + [[]] {
        let isEnd = piece.isEmpty
        var offset = 0
        loop: while true {
            let result: (consumed: Int, event: AWSChunkedDecoder.Event)
            result = try piece.withUnsafeBytes { raw in
                try decoder.next(UnsafeRawBufferPointer(rebasing: raw[offset...]), maxData: maxData)
            }
            if case .data = result.event {
                data += piece[offset..<(offset + result.consumed)]
            }
            offset += result.consumed
            switch result.event {
            case .needMore:
                if offset == piece.count { break loop }
            case .data: break
            case .end:
                flush()
                events.append("end")
                return events
            default:
                flush()
                events.append("\(result.event)")
            }
        }
        if isEnd {
            try decoder.finish()
            flush()
            events.append("eof")
        }
    }
    return events
}

@Suite("aws-chunked decoder") struct AWSChunkedDecoderTests {
    static let signature = String(repeating: "ab", count: 32)
    static let signed = Array(
        ("5;chunk-signature=\(signature)\r\nhello\r\n3;chunk-signature=\(signature)\r\nabc\r\n"
            + "0;chunk-signature=\(signature)\r\nx-amz-checksum-crc32:AAAAAA==\r\n"
            + "x-amz-trailer-signature:\(signature)\r\n\r\n").utf8)

    static let expected = [
        "chunkHeader(size: 5, signature: Optional(\"\(signature)\"))", "data:hello", "chunkEnd",
        "chunkHeader(size: 3, signature: Optional(\"\(signature)\"))", "data:abc", "chunkEnd",
        "chunkHeader(size: 0, signature: Optional(\"\(signature)\"))", "chunkEnd",
        "trailer(name: \"x-amz-checksum-crc32\", value: \"AAAAAA==\")", "trailerSignature(\"\(signature)\")",
        "end",
    ]

    @Test("a body split in two at every offset decodes to the same events")
    func everySplit() throws {
        let body = Self.signed
        #expect(try decode([body]) == Self.expected)
        for cut in 1..<body.count {
            #expect(try decode([Array(body[..<cut]), Array(body[cut...])]) == Self.expected, "cut at \(cut)")
        }
    }

    @Test("a body fed one byte at a time, with one-byte reads, decodes the same")
    func byteByByte() throws {
        #expect(try decode(Self.signed.map { [$0] }, maxData: 1) == Self.expected)
    }

    @Test("unsigned chunks without a trailer end at the empty line, or at EOF after the last chunk")
    func unsigned() throws {
        let body = Array("3\r\nabc\r\n0\r\n\r\n".utf8)
        #expect(
            try decode([body]) == [
                "chunkHeader(size: 3, signature: nil)", "data:abc", "chunkEnd",
                "chunkHeader(size: 0, signature: nil)",
                "chunkEnd", "end",
            ])
        #expect(try decode([Array("3\r\nabc\r\n0\r\n".utf8)]).last == "eof")
    }

    @Test(
        "malformed frames are refused",
        arguments: [
            "zz\r\nabc\r\n", "3\r\nabcd\r\n", "3\nabc\r\n", ";x=1\r\n", "11111111111111111\r\n",
            "0\r\nnocolon\r\n\r\n",
        ])
    func malformed(text: String) {
        var thrown: AuthError? = nil
        do { _ = try decode([Array(text.utf8)]) } catch { thrown = error as? AuthError }
        guard case .invalidChunk? = thrown else {
            Issue.record("\(text.debugDescription) gave \(String(describing: thrown))")
            return
        }
    }

    @Test("a body that stops inside a chunk is incomplete")
    func incomplete() {
        var thrown: AuthError? = nil
        do { _ = try decode([Array("5\r\nhel".utf8)]) } catch { thrown = error as? AuthError }
        #expect(thrown == .incompleteBody)
    }
}
