/// An incremental parser of a request line and header fields (RFC 9112 sections 3 and 5).
///
/// It is fed the bytes of one head as they arrive: each call passes every byte received since
/// the head began (the caller's buffer grows; earlier bytes stay in place), and the parser resumes
/// where it stopped. It validates byte by byte, so a malformed request line is refused before the
/// rest arrives, and records offsets rather than copying; strings are built once, at the end.
///
/// Choices: bare LF ends a line anywhere (accepted consistently); a CR not followed by LF, obs-fold
/// (a line starting with SP or HT), whitespace before a colon and control characters are refused
/// with 400; empty lines before the request line are skipped (RFC 9112 section 2.2).
package struct RequestHeadParser {
    /// What the caller does next.
    package enum Result: Equatable {
        /// The head is not complete yet; read more and call again with the longer buffer.
        case needMore
        /// The head is complete and valid; it used the first `length` bytes.
        case complete(RequestHead, length: Int)
        /// Refuse with `status` (400 or 431) and close.
        case invalid(status: Int, reason: String)
    }

    private enum State: UInt8 {
        case leadingLines, method, target, version, requestLineLF
        case fieldStart, fieldName, fieldValueStart, fieldValue, fieldLineLF, headEndLF
    }

    /// Offsets of one header field within the head.
    struct FieldOffsets {
        var nameStart: Int32
        var nameEnd: Int32
        var valueStart: Int32
        var valueEnd: Int32
    }

    package let maxHeadBytes: Int
    package let maxHeaderCount: Int
    /// Bytes examined so far; more than zero once the head has begun.
    package private(set) var position = 0
    private var state = State.leadingLines
    private var methodStart = 0
    private var methodEnd = 0
    private var targetStart = 0
    private var targetEnd = 0
    private var versionStart = 0
    private var versionEnd = 0
    private var current = FieldOffsets(nameStart: 0, nameEnd: 0, valueStart: 0, valueEnd: 0)
    var fields: [FieldOffsets] = []

    package init(maxHeadBytes: Int = 64 * 1024, maxHeaderCount: Int = 200) {
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
    }

    /// Forgets the previous head, keeping allocated capacity.
    package mutating func reset() {
        position = 0
        state = .leadingLines
        fields.removeAll(keepingCapacity: true)
    }

    /// Releases the field table (an idle connection keeps no more than it must).
    package mutating func releaseMemory() {
        reset()
        fields = []
    }

    /// Continues parsing `bytes`: every byte of this head received so far, possibly followed by
    /// bytes of what comes next (a body, a pipelined request).
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
                    methodStart = i
                    state = .method
                }
            case .method:
                if isTokenByte(c) {
                    i += 1
                } else if c == space && i > methodStart {
                    methodEnd = i
                    targetStart = i + 1
                    state = .target
                    i += 1
                } else {
                    return invalid("malformed request line")
                }
            case .target:
                // The target is most of a pre-signed request's head: its bytes in a tight loop.
                if c > space && c != 0x7F {
                    i += 1
                    while i < limit && bytes[i] > space && bytes[i] != 0x7F { i += 1 }
                    continue
                }
                if c == space {
                    if i == targetStart { return invalid("malformed request line") }
                    targetEnd = i
                    versionStart = i + 1
                    state = .version
                } else if c <= space || c == 0x7F {
                    return invalid("invalid character in request target")
                }
                i += 1
            case .version:
                if c == cr || c == lf {
                    versionEnd = i
                    guard versionIsValid(bytes) else { return invalid("unsupported HTTP version") }
                    state = c == cr ? .requestLineLF : .fieldStart
                } else if i - versionStart >= 8 {
                    return invalid("unsupported HTTP version")
                }
                i += 1
            case .requestLineLF:
                guard c == lf else { return invalid("CR without LF in request line") }
                state = .fieldStart
                i += 1
            case .fieldStart:
                if c == cr {
                    state = .headEndLF
                    i += 1
                } else if c == lf {
                    return finish(bytes, length: i + 1)
                } else if c == space || c == tab {
                    return invalid("obsolete line folding")
                } else if isTokenByte(c) {
                    if fields.count >= maxHeaderCount {
                        return .invalid(status: 431, reason: "too many header fields")
                    }
                    current.nameStart = Int32(i)
                    state = .fieldName
                    i += 1
                } else {
                    return invalid("invalid header field name")
                }
            case .fieldName:
                if isTokenByte(c) {
                    i += 1
                } else if c == colon {
                    current.nameEnd = Int32(i)
                    state = .fieldValueStart
                    i += 1
                } else {
                    return invalid("invalid header field name")
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
                    return invalid("invalid character in header field value")
                } else {
                    // A run of visible bytes in a tight loop; it ends the value so far.
                    i += 1
                    while i < limit && bytes[i] > space && bytes[i] != 0x7F { i += 1 }
                    current.valueEnd = Int32(i)
                    continue
                }
                i += 1
            case .fieldLineLF:
                guard c == lf else { return invalid("CR without LF in header field") }
                state = .fieldStart
                i += 1
            case .headEndLF:
                guard c == lf else { return invalid("CR without LF at end of head") }
                return finish(bytes, length: i + 1)
            }
        }
        position = i
        if i >= maxHeadBytes { return .invalid(status: 431, reason: "request head too large") }
        return .needMore
    }

    private func invalid(_ reason: String) -> Result { .invalid(status: 400, reason: reason) }

    /// The version is exactly `HTTP/1.1` or `HTTP/1.0`.
    private func versionIsValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard versionEnd - versionStart == 8 else { return false }
        let v = versionStart
        return bytes[v] == 0x48 && bytes[v + 1] == 0x54 && bytes[v + 2] == 0x54 && bytes[v + 3] == 0x50
            && bytes[v + 4] == 0x2F && bytes[v + 5] == 0x31 && bytes[v + 6] == 0x2E
            && (bytes[v + 7] == 0x31 || bytes[v + 7] == 0x30)
    }

    /// Builds the head from the recorded offsets and validates its framing headers.
    private mutating func finish(_ bytes: UnsafeRawBufferPointer, length: Int) -> Result {
        position = length
        let minor = bytes[versionStart + 7] == 0x31 ? 1 : 0
        switch HeadFields.interpret(bytes, fields: fields, minorVersion: minor) {
        case .failure(let reason):
            return invalid(reason)
        case .success(let facts):
            var headers = HTTPHeaders()
            for f in fields {
                headers.add(
                    text(bytes, Int(f.nameStart), Int(f.nameEnd)),
                    text(bytes, Int(f.valueStart), Int(f.valueEnd)))
            }
            let head = RequestHead(
                method: text(bytes, methodStart, methodEnd), target: text(bytes, targetStart, targetEnd),
                minorVersion: minor, headers: headers, framing: facts.framing,
                expectContinue: facts.expectContinue, keepAlive: facts.keepAlive)
            return .complete(head, length: length)
        }
    }

    private func text(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
}

let cr: UInt8 = 0x0D
let lf: UInt8 = 0x0A
let space: UInt8 = 0x20
let tab: UInt8 = 0x09
let colon: UInt8 = 0x3A

/// `tchar` of RFC 9110 section 5.6.2: what method tokens and header names are made of.
@inline(__always)
func isTokenByte(_ c: UInt8) -> Bool { tokenTable[Int(c)] }

private let tokenTable: [Bool] = (0..<256).map { c in
    switch UInt8(c) {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"):
        return true
    default:
        return "!#$%&'*+-.^_`|~".utf8.contains(UInt8(c))
    }
}
