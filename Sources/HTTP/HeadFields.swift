/// The header fields that decide how a request is framed and whether the connection stays open,
/// read from raw bytes before any string is made.
enum HeadFields {
    /// What the framing headers say.
    struct Facts: Equatable {
        var framing: BodyFraming
        var expectContinue: Bool
        var keepAlive: Bool
    }

    enum Outcome {
        case success(Facts)
        case failure(String)
    }

    /// Validates Content-Length and Transfer-Encoding (RFC 9112 section 6): both present, a
    /// malformed or conflicting length, or any coding but a single `chunked` is refused, since each
    /// of these lets two parsers disagree about where the body ends.
    static func interpret(
        _ bytes: UnsafeRawBufferPointer, fields: [RequestHeadParser.FieldOffsets], minorVersion: Int
    ) -> Outcome {
        var length: Int64?
        var sawTransferEncoding = false
        var chunked = false
        var expectContinue = false
        var close = false
        var keepAliveToken = false
        for f in fields {
            let name = UnsafeRawBufferPointer(rebasing: bytes[Int(f.nameStart)..<Int(f.nameEnd)])
            let value = UnsafeRawBufferPointer(rebasing: bytes[Int(f.valueStart)..<Int(f.valueEnd)])
            switch name.count {
            case 14 where equalsLowercased(name, "content-length"):
                guard let n = parseLength(value) else { return .failure("invalid Content-Length") }
                if let previous = length, previous != n { return .failure("conflicting Content-Length") }
                length = n
            case 17 where equalsLowercased(name, "transfer-encoding"):
                if sawTransferEncoding || !equalsLowercased(value, "chunked") {
                    return .failure("unsupported Transfer-Encoding")
                }
                sawTransferEncoding = true
                chunked = true
            case 6 where equalsLowercased(name, "expect"):
                // RFC 9110 section 10.1.1: an HTTP/1.0 request's expectation is ignored.
                if equalsLowercased(value, "100-continue") && minorVersion >= 1 { expectContinue = true }
            case 10 where equalsLowercased(name, "connection"):
                forEachToken(value) { token in
                    if equalsLowercased(token, "close") { close = true }
                    if equalsLowercased(token, "keep-alive") { keepAliveToken = true }
                }
            default:
                continue
            }
        }
        if chunked && length != nil { return .failure("both Content-Length and Transfer-Encoding") }
        if chunked && minorVersion == 0 { return .failure("Transfer-Encoding in an HTTP/1.0 request") }
        let framing: BodyFraming = chunked ? .chunked : length.map { .length($0) } ?? .none
        let keepAlive = minorVersion == 1 ? !close : (keepAliveToken && !close)
        return .success(Facts(framing: framing, expectContinue: expectContinue, keepAlive: keepAlive))
    }

    /// A decimal Content-Length of at most 18 digits, nothing else.
    static func parseLength(_ value: UnsafeRawBufferPointer) -> Int64? {
        guard !value.isEmpty, value.count <= 18 else { return nil }
        var n: Int64 = 0
        for c in value {
            guard c >= 0x30 && c <= 0x39 else { return nil }
            n = n * 10 + Int64(c - 0x30)
        }
        return n
    }

    /// Compares bytes to a lower-case ASCII literal, ignoring the case of the bytes.
    static func equalsLowercased(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for i in 0..<bytes.count {
            var c = bytes[i]
            if c >= 0x41 && c <= 0x5A { c += 32 }
            if c != expected[i] { return false }
        }
        return true
    }

    /// Calls `body` with each comma-separated token of a list value, whitespace trimmed.
    static func forEachToken(_ value: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        while start <= value.count {
            var end = start
            while end < value.count && value[end] != 0x2C { end += 1 }
            var a = start
            var b = end
            while a < b && (value[a] == space || value[a] == tab) { a += 1 }
            while b > a && (value[b - 1] == space || value[b - 1] == tab) { b -= 1 }
            if a < b { body(UnsafeRawBufferPointer(rebasing: value[a..<b])) }
            start = end + 1
        }
    }
}
