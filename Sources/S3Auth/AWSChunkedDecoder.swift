/// The framing of an aws-chunked body, as a state machine over byte slices (no I/O).
///
/// ```
/// chunk       = hex-size [";chunk-signature=" 64HEX] CRLF data CRLF
/// last-chunk  = "0" [";chunk-signature=" 64HEX] CRLF
/// body        = *chunk last-chunk *(trailer-line CRLF) CRLF
/// trailer-line = name ":" value        ; "x-amz-trailer-signature" signs the others
/// ```
/// Feed it whatever bytes arrived; each call consumes some and says what they were. Signatures
/// are only reported, `AWSChunkedBody` checks them.
struct AWSChunkedDecoder {
    /// What the consumed bytes were.
    enum Event: Equatable {
        /// Everything given was consumed inside a line; call again with more bytes.
        case needMore
        /// A chunk of `size` bytes starts (0 for the last chunk).
        case chunkHeader(size: Int, signature: String?)
        /// The first `count` bytes of the input are payload.
        case data(Int)
        /// The chunk announced by the last `chunkHeader` is complete.
        case chunkEnd
        /// A trailing header, name lower-cased, value trimmed.
        case trailer(name: String, value: String)
        case trailerSignature(String)
        /// The body is complete; bytes after it are ignored.
        case end
    }

    private enum State {
        case header
        case data(remaining: Int)
        case dataCR
        case dataLF
        case lastChunkEnd
        case trailers
        case done
    }

    /// Longest chunk-header or trailer line accepted, in bytes.
    static let maxLineLength = 4096
    /// Largest chunk size accepted (S3's object size limit).
    static let maxChunkSize = 5 << 40

    private var state = State.header
    private var line: [UInt8] = []

    init() {}

    /// Consumes bytes from the start of `input`, passing at most `maxData` payload bytes.
    mutating func next(_ input: UnsafeRawBufferPointer, maxData: Int) throws(AuthError) -> (
        consumed: Int, event: Event
    ) {
        switch state {
        case .header:
            guard let used = try readLine(input) else { return (input.count, .needMore) }
            let event = try parseChunkHeader()
            return (used, event)
        case .data(let remaining):
            if remaining == 0 {
                state = .dataCR
                return try next(input, maxData: maxData)
            }
            let n = min(remaining, input.count, maxData)
            if n == 0 { return (0, .needMore) }
            state = .data(remaining: remaining - n)
            return (n, .data(n))
        case .dataCR:
            guard let c = input.first else { return (0, .needMore) }
            guard c == UInt8(ascii: "\r") else { throw .invalidChunk("chunk data is not followed by CRLF") }
            state = .dataLF
            return (1, .needMore)
        case .dataLF:
            guard let c = input.first else { return (0, .needMore) }
            guard c == UInt8(ascii: "\n") else { throw .invalidChunk("chunk data is not followed by CRLF") }
            state = .header
            return (1, .chunkEnd)
        case .lastChunkEnd:
            state = .trailers
            return (0, .chunkEnd)
        case .trailers:
            guard let used = try readLine(input) else { return (input.count, .needMore) }
            return (used, try parseTrailerLine())
        case .done:
            return (input.count, .end)
        }
    }

    /// Checks the body may end here (the end of the input stream). A missing final CRLF after
    /// the last chunk or the trailers is tolerated, as S3 does.
    mutating func finish() throws(AuthError) {
        switch state {
        case .done: return
        case .lastChunkEnd: state = .done
        case .trailers where line.isEmpty: state = .done
        default: throw .incompleteBody
        }
    }

    /// Appends bytes up to and including LF to `line`; returns how many were used once a full
    /// line (without its CRLF) is in `line`, nil when the input ran out first.
    private mutating func readLine(_ input: UnsafeRawBufferPointer) throws(AuthError) -> Int? {
        guard let lf = input.firstIndex(of: UInt8(ascii: "\n")) else {
            line.append(contentsOf: input)
            if line.count > Self.maxLineLength { throw .invalidChunk("chunk header line too long") }
            return nil
        }
        line.append(contentsOf: input[0..<lf])
        guard line.last == UInt8(ascii: "\r") else {
            throw .invalidChunk("chunk line does not end with CRLF")
        }
        line.removeLast()
        if line.count > Self.maxLineLength { throw .invalidChunk("chunk header line too long") }
        return lf + 1
    }

    private mutating func parseChunkHeader() throws(AuthError) -> Event {
        defer { line.removeAll(keepingCapacity: true) }
        let semicolon = line.firstIndex(of: UInt8(ascii: ";")) ?? line.count
        guard semicolon > 0, semicolon <= 16 else { throw .invalidChunk("invalid chunk size") }
        var size = 0
        for c in line[0..<semicolon] {
            guard let v = hexValue(c) else { throw .invalidChunk("invalid chunk size") }
            size = size << 4 | Int(v)
        }
        guard size <= Self.maxChunkSize else { throw .invalidChunk("chunk too large") }
        var signature: String? = nil
        if semicolon < line.count {
            for ext in line[(semicolon + 1)...].split(separator: UInt8(ascii: ";")) {
                let text = String(decoding: ext, as: UTF8.self)
                if text.hasPrefix("chunk-signature=") { signature = String(text.dropFirst(16)) }
            }
        }
        state = size == 0 ? .lastChunkEnd : .data(remaining: size)
        return .chunkHeader(size: size, signature: signature)
    }

    private mutating func parseTrailerLine() throws(AuthError) -> Event {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            state = .done
            return .end
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
            throw .invalidChunk("malformed trailing header")
        }
        let name = String(decoding: line[0..<colon], as: UTF8.self).lowercased()
        let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces
        if name == "x-amz-trailer-signature" { return .trailerSignature(value) }
        return .trailer(name: name, value: value)
    }

    private func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })!
        return String(self[first...last])
    }
}
