#if canImport(Glibc)
    import Glibc
#endif

/// Writes responses onto a transport, reusing its buffers from one request to the next (one
/// writer per worker thread).
///
/// Framing rules: the server sets Content-Length for `.bytes` and sized streams, and
/// `Transfer-Encoding: chunked` for unsized streams (HTTP/1.0: raw bytes, then close). HEAD,
/// 1xx, 204 and 304 responses carry no body; for HEAD the handler's own Content-Length is kept.
final class ResponseWriter {
    /// Bodies up to this size (in memory, or a sized stream read first) are copied behind the
    /// head and sent in the same system call.
    static let inlineBodyLimit = 16 * 1024
    /// Smallest body spliced socket to socket (`SocketForwardingSource`); below it, the pipe's
    /// system calls cost more than the copies they save.
    static let spliceMinimum: Int64 = 128 * 1024
    /// Size of the buffer used to copy streamed bodies.
    static let streamBufferSize = 256 * 1024

    private var head: [UInt8] = []
    private var streamBuffer: UnsafeMutableRawBufferPointer?

    init() { head.reserveCapacity(4096) }

    deinit { streamBuffer?.deallocate() }

    /// A 256 KiB scratch buffer for streaming and draining, allocated on first use.
    var scratch: UnsafeMutableRawBufferPointer {
        if let streamBuffer { return streamBuffer }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.streamBufferSize, alignment: 16)
        streamBuffer = buffer
        return buffer
    }

    /// True when this response must end the connection because its body is delimited by close.
    static func needsClose(_ response: HTTPResponse, isHEAD: Bool, minorVersion: Int) -> Bool {
        guard minorVersion == 0, !isHEAD, statusAllowsBody(response.status) else { return false }
        if case .stream(_, nil) = response.body { return true }
        return false
    }

    static func statusAllowsBody(_ status: Int) -> Bool { status >= 200 && status != 204 && status != 304 }

    /// Writes `response`; `bytesOut` counts what was sent even when this throws (client gone, I/O
    /// timeout, a failing or short body source).
    func write(
        _ response: HTTPResponse, isHEAD: Bool, close: Bool, minorVersion: Int, to transport: any Transport,
        bytesOut: inout Int64
    ) throws {
        let status = (100...999).contains(response.status) ? response.status : 500
        let sendsBody = !isHEAD && Self.statusAllowsBody(status)
        var length: Int64?
        var chunked = false
        var serverFrames = false
        if sendsBody {
            serverFrames = true
            switch response.body {
            case .empty: length = 0
            case .bytes(let bytes): length = Int64(bytes.count)
            case .stream(_, let n): length = n
            }
            chunked = length == nil && minorVersion == 1
        } else if isHEAD && response.headers["content-length"] == nil {
            switch response.body {
            case .empty: break
            case .bytes(let bytes): length = Int64(bytes.count)
            case .stream(_, let n): length = n
            }
        }
        serializeHead(
            response.headers, status: status, length: length, chunked: chunked, serverFrames: serverFrames,
            close: close, minorVersion: minorVersion)

        guard sendsBody else {
            try head.withUnsafeBytes { try transport.send($0) }
            bytesOut += Int64(head.count)
            return
        }
        switch response.body {
        case .empty:
            try head.withUnsafeBytes { try transport.send($0) }
            bytesOut += Int64(head.count)
        case .bytes(let bytes):
            if bytes.count <= Self.inlineBodyLimit {
                head.append(contentsOf: bytes)
                try head.withUnsafeBytes { try transport.send($0) }
                bytesOut += Int64(head.count)
            } else {
                try head.withUnsafeBytes { h in try bytes.withUnsafeBytes { b in try transport.send(h, b) } }
                bytesOut += Int64(head.count + bytes.count)
            }
        case .stream(let source, let n):
            if let n, n <= Self.inlineBodyLimit {
                return try sendInline(source, length: Int(n), to: transport, bytesOut: &bytesOut)
            }
            try head.withUnsafeBytes { try transport.send($0) }
            bytesOut += Int64(head.count)
            if let n {
                try sendSized(source, length: n, to: transport, bytesOut: &bytesOut)
            } else {
                try sendUnsized(source, chunked: chunked, to: transport, bytesOut: &bytesOut)
            }
        }
    }

    /// A small sized body is read behind the head and sent with it in one system call: one TCP
    /// segment rather than a head and then a `sendfile`. A read that fails or ends early still
    /// sends the head and what came before, then throws, as the streamed path does.
    private func sendInline(
        _ source: any ByteSource, length: Int, to transport: any Transport, bytesOut: inout Int64
    ) throws {
        let buffer = scratch
        var got = 0
        var failure: (any Error)?
        while got < length {
            do {
                let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[got..<length]))
                if n == 0 {
                    failure = ByteSourceError.truncated
                    break
                }
                got += n
            } catch {
                failure = error
                break
            }
        }
        head.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
        try head.withUnsafeBytes { try transport.send($0) }
        bytesOut += Int64(head.count)
        if let failure { throw failure }
    }

    private func sendSized(
        _ source: any ByteSource, length: Int64, to transport: any Transport, bytesOut: inout Int64
    ) throws {
        if let region = source as? FileRegion, transport.canSendFile {
            let before = region.remaining
            defer { bytesOut += before - region.remaining }
            if region.remaining < length { throw ByteSourceError.truncated }
            try transport.sendFile(region, count: length)
            return
        }
        if length >= Self.spliceMinimum, let forwarding = source as? any SocketForwardingSource,
            let tcp = transport as? TCPTransport, try forwarding.forward(length, to: tcp)
        {
            bytesOut += length
            return
        }
        let buffer = scratch
        var left = length
        while left > 0 {
            let want = Int(min(Int64(buffer.count), left))
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
            if n == 0 { throw ByteSourceError.truncated }
            try transport.send(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            bytesOut += Int64(n)
            left -= Int64(n)
        }
    }

    /// Streams until the source ends: each read becomes one chunk, framed in place (size line in
    /// front of the data, CRLF after), so one chunk is one system call.
    private func sendUnsized(
        _ source: any ByteSource, chunked: Bool, to transport: any Transport, bytesOut: inout Int64
    ) throws {
        let buffer = scratch
        let front = chunked ? 18 : 0
        let back = chunked ? 2 : 0
        while true {
            let room = UnsafeMutableRawBufferPointer(rebasing: buffer[front..<(buffer.count - back)])
            let n = try source.read(into: room)
            if n == 0 { break }
            var start = front
            var end = front + n
            if chunked {
                var value = n
                buffer[start - 1] = lf
                buffer[start - 2] = cr
                start -= 2
                repeat {
                    start -= 1
                    buffer[start] = hexDigits[value & 15]
                    value >>= 4
                } while value > 0
                buffer[end] = cr
                buffer[end + 1] = lf
                end += 2
            }
            try transport.send(UnsafeRawBufferPointer(rebasing: buffer[start..<end]))
            bytesOut += Int64(end - start)
        }
        if chunked {
            let last: StaticString = "0\r\n\r\n"
            try transport.send(UnsafeRawBufferPointer(start: last.utf8Start, count: last.utf8CodeUnitCount))
            bytesOut += 5
        }
    }

    private func serializeHead(
        _ headers: HTTPHeaders, status: Int, length: Int64?, chunked: Bool, serverFrames: Bool, close: Bool,
        minorVersion: Int
    ) {
        // Built in a local array taken from `head` and given back: appends to a class property
        // each pay an exclusivity check.
        var out: [UInt8] = []
        swap(&out, &head)
        defer { swap(&out, &head) }
        out.removeAll(keepingCapacity: true)
        Self.appendLiteral("HTTP/1.1 ", to: &out)
        Self.appendDecimal(Int64(status), to: &out)
        out.append(space)
        out.append(contentsOf: reasonPhrase(status).utf8)
        Self.appendLiteral("\r\n", to: &out)
        var sawConnection = false
        for field in headers {
            let count = field.name.utf8.count
            if serverFrames && (count == 14 || count == 17)
                && (asciiCaseInsensitiveEquals(field.name, "content-length")
                    || asciiCaseInsensitiveEquals(field.name, "transfer-encoding"))
            {
                continue
            }
            if count == 10 && asciiCaseInsensitiveEquals(field.name, "connection") { sawConnection = true }
            Self.appendSanitized(field.name, to: &out)
            Self.appendLiteral(": ", to: &out)
            Self.appendSanitized(field.value, to: &out)
            Self.appendLiteral("\r\n", to: &out)
        }
        if let length {
            Self.appendLiteral("Content-Length: ", to: &out)
            Self.appendDecimal(length, to: &out)
            Self.appendLiteral("\r\n", to: &out)
        }
        if chunked { Self.appendLiteral("Transfer-Encoding: chunked\r\n", to: &out) }
        if !sawConnection {
            if close {
                Self.appendLiteral("Connection: close\r\n", to: &out)
            } else if minorVersion == 0 {
                Self.appendLiteral("Connection: keep-alive\r\n", to: &out)
            }
        }
        Self.appendLiteral("\r\n", to: &out)
    }

    private static func appendLiteral(_ text: StaticString, to head: inout [UInt8]) {
        head.append(contentsOf: UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends text with CR, LF and NUL replaced by spaces: a value can never split the head.
    /// Clean text (the usual case) is copied in one piece.
    private static func appendSanitized(_ text: String, to head: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var clean = true
            for c in bytes where c == cr || c == lf || c == 0 {
                clean = false
                break
            }
            if clean {
                head.append(contentsOf: bytes)
            } else {
                head.append(contentsOf: bytes.lazy.map { $0 == cr || $0 == lf || $0 == 0 ? space : $0 })
            }
        }
    }

    private static func appendDecimal(_ value: Int64, to head: inout [UInt8]) {
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = value < 0 ? 0 : value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - count] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                v /= 10
                count += 1
            } while v > 0
            head.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[(20 - count)...]))
        }
    }
}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
