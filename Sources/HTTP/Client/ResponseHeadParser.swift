/// An incremental parser of a response's status line and header fields (RFC 9112 sections 4
/// and 5), the client-side sibling of `RequestHeadParser`.
///
/// Each call passes every byte received since the head began (the caller's buffer grows; earlier
/// bytes stay in place); the parser resumes where it stopped and records offsets, building strings
/// once at the end. Bare LF ends a line; empty lines before the status line are skipped; a
/// missing reason phrase (`HTTP/1.1 200\r\n`) is accepted. Obs-fold, whitespace before a colon
/// and control characters in values make the head invalid: the connection cannot be trusted.
package struct ResponseHeadParser {
    /// What the caller does next.
    package enum Result: Equatable {
        /// Not complete yet; receive more and call again with the longer buffer.
        case needMore
        /// The head is complete and valid; it used the first `length` bytes.
        case complete(ResponseHead, length: Int)
        /// The bytes are not an HTTP/1.x response head (or exceed a limit).
        case invalid(String)
    }

    private enum State: UInt8 {
        case leadingLines, version, statusCode, reason, statusLineLF
        case fieldStart, fieldName, fieldValueStart, fieldValue, fieldLineLF, headEndLF
    }

    private static let versionPrefix = Array("HTTP/1.".utf8)

    /// Status line + headers, in bytes.
    package let maxHeadBytes: Int
    /// Header fields.
    package let maxHeaderCount: Int
    private var position = 0
    private var state = State.leadingLines
    private var versionStart = 0
    private var status = 0
    private var statusDigits = 0
    private var reasonStart = 0
    private var reasonEnd = 0
    private var current = RequestHeadParser.FieldOffsets(nameStart: 0, nameEnd: 0, valueStart: 0, valueEnd: 0)
    private var fields: [RequestHeadParser.FieldOffsets] = []

    package init(maxHeadBytes: Int = 64 * 1024, maxHeaderCount: Int = 200) {
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
    }

    /// Forgets the previous head (after a 1xx interim response, or between requests).
    package mutating func reset() {
        position = 0
        state = .leadingLines
        status = 0
        statusDigits = 0
        fields.removeAll(keepingCapacity: true)
    }

    /// Continues parsing `bytes`: every byte of this head received so far, possibly followed by
    /// body bytes.
    package mutating func parse(_ bytes: UnsafeRawBufferPointer) -> Result {
        let limit = min(bytes.count, maxHeadBytes)
        var i = position
        while i < limit {
            let c = bytes[i]
            switch state {
            case .leadingLines:
                if c == cr || c == lf {
                    i += 1
                } else {
                    versionStart = i
                    state = .version
                }
            case .version:
                // Exactly `HTTP/1.0` or `HTTP/1.1`, then one space.
                let offset = i - versionStart
                if offset < 7 {
                    guard c == Self.versionPrefix[offset] else { return .invalid("malformed status line") }
                } else if offset == 7 {
                    guard c == 0x30 || c == 0x31 else { return .invalid("unsupported HTTP version") }
                } else {
                    guard c == space else { return .invalid("malformed status line") }
                    state = .statusCode
                }
                i += 1
            case .statusCode:
                if c >= 0x30 && c <= 0x39 && statusDigits < 3 {
                    status = status * 10 + Int(c - 0x30)
                    statusDigits += 1
                    i += 1
                    continue
                }
                guard statusDigits == 3, status >= 100 else { return .invalid("malformed status code") }
                if c == space {
                    reasonStart = i + 1
                    reasonEnd = i + 1
                    state = .reason
                    i += 1
                } else if c == cr || c == lf {
                    reasonStart = i
                    reasonEnd = i
                    state = c == cr ? .statusLineLF : .fieldStart
                    i += 1
                } else {
                    return .invalid("malformed status code")
                }
            case .reason:
                if c == cr || c == lf {
                    reasonEnd = i
                    state = c == cr ? .statusLineLF : .fieldStart
                } else if (c < space && c != tab) || c == 0x7F {
                    return .invalid("invalid character in reason phrase")
                }
                i += 1
            case .statusLineLF:
                guard c == lf else { return .invalid("CR without LF in status line") }
                state = .fieldStart
                i += 1
            case .fieldStart:
                if c == cr {
                    state = .headEndLF
                    i += 1
                } else if c == lf {
                    return finish(bytes, length: i + 1)
                } else if isTokenByte(c) {
                    if fields.count >= maxHeaderCount { return .invalid("too many header fields") }
                    current.nameStart = Int32(i)
                    state = .fieldName
                    i += 1
                } else {
                    return .invalid("invalid header field name")
                }
            case .fieldName:
                if isTokenByte(c) {
                    i += 1
                } else if c == colon {
                    current.nameEnd = Int32(i)
                    state = .fieldValueStart
                    i += 1
                } else {
                    return .invalid("invalid header field name")
                }
            case .fieldValueStart:
                if c == space || c == tab {
                    i += 1
                } else {
                    current.valueStart = Int32(i)
                    current.valueEnd = Int32(i)
                    state = .fieldValue
                }
            case .fieldValue:
                if c == cr || c == lf {
                    fields.append(current)
                    state = c == cr ? .fieldLineLF : .fieldStart
                } else if c == space || c == tab {
                    // Trailing whitespace is not part of the value; `valueEnd` stays put.
                } else if c < space || c == 0x7F {
                    return .invalid("invalid character in header field value")
                } else {
                    current.valueEnd = Int32(i + 1)
                }
                i += 1
            case .fieldLineLF:
                guard c == lf else { return .invalid("CR without LF in header field") }
                state = .fieldStart
                i += 1
            case .headEndLF:
                guard c == lf else { return .invalid("CR without LF at end of head") }
                return finish(bytes, length: i + 1)
            }
        }
        position = i
        if i >= maxHeadBytes { return .invalid("response head too large") }
        return .needMore
    }

    private mutating func finish(_ bytes: UnsafeRawBufferPointer, length: Int) -> Result {
        position = length
        var headers = HTTPHeaders()
        for f in fields {
            headers.add(
                text(bytes, Int(f.nameStart), Int(f.nameEnd)), text(bytes, Int(f.valueStart), Int(f.valueEnd))
            )
        }
        let head = ResponseHead(
            status: status, reason: text(bytes, reasonStart, reasonEnd),
            minorVersion: bytes[versionStart + 7] == 0x31 ? 1 : 0, headers: headers)
        return .complete(head, length: length)
    }

    private func text(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
}
