/// A request body read from its connection: `Content-Length` bytes or a chunked body, with the
/// `100 Continue` interim response sent on the first read when the client asked for it.
///
/// Reads block with the socket's I/O timeout. A client that disconnects early makes `read` throw
/// `ByteSourceError.truncated`; broken chunked framing throws `HTTPBodyError.badChunkedFraming`.
final class RequestBody: ByteSource {
    private let connection: Connection
    private let chunked: Bool
    private var remaining: Int64
    private var decoder = ChunkedDecoder()
    private let expectContinue: Bool
    /// The handler asked for body bytes at least once.
    private(set) var started = false
    /// Every byte of the body was read.
    private(set) var finished: Bool
    /// The first read failure; later reads throw it again.
    private(set) var failure: (any Error)?
    /// Payload bytes read so far.
    private(set) var bytesRead: Int64 = 0

    init(connection: Connection, framing: BodyFraming, expectContinue: Bool) {
        self.connection = connection
        self.expectContinue = expectContinue
        switch framing {
        case .none:
            chunked = false
            remaining = 0
        case .length(let n):
            chunked = false
            remaining = n
        case .chunked:
            chunked = true
            remaining = 0
        }
        finished = !chunked && remaining == 0
    }

    /// True when the framing itself was broken (the server answers 400).
    var framingError: String? {
        if case .badChunkedFraming(let why)? = failure as? HTTPBodyError { return why }
        return nil
    }

    /// The client waits for `100 Continue` and never got it: its body is not coming.
    var continueWithheld: Bool { expectContinue && !started && !finished }

    /// The client asked for `100 Continue` on a body that is empty by its framing
    /// (`Content-Length: 0`), so no read ever sent the interim response.
    var owesContinue: Bool { expectContinue && !started && finished && failure == nil }

    /// Sends the `100 Continue` that `owesContinue` says is owed, before the final response.
    /// RFC 9110 section 10.1.1 lets a server omit it when the framing announces no content, but
    /// botocore (boto3, aws-cli) then takes the final response for the interim one and parses
    /// the next response on that keep-alive connection with a stale status line: a 60 s stall
    /// and a silent retry that writes twice (boto/botocore#3755). Sending it costs 25 bytes.
    func sendOwedContinue() throws {
        guard owesContinue else { return }
        started = true
        try sendContinue()
    }

    private func sendContinue() throws {
        let interim: StaticString = "HTTP/1.1 100 Continue\r\n\r\n"
        try connection.transport.send(
            UnsafeRawBufferPointer(start: interim.utf8Start, count: interim.utf8CodeUnitCount))
    }

    /// Bytes still expected with Content-Length (nil for chunked).
    var remainingLength: Int64? { chunked ? nil : remaining }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let failure { throw failure }
        if finished || buffer.count == 0 { return 0 }
        do {
            if !started {
                started = true
                if expectContinue { try sendContinue() }
            }
            let n = chunked ? try readChunked(into: buffer) : try readLength(into: buffer)
            bytesRead += Int64(n)
            return n
        } catch {
            failure = error
            throw error
        }
    }

    /// Reads and discards the rest of the body, up to `limit` bytes; true if it all came.
    func drain(limit: Int64, scratch: UnsafeMutableRawBufferPointer) -> Bool {
        var total: Int64 = 0
        while !finished {
            if failure != nil || total > limit { return false }
            guard let n = try? read(into: scratch), n > 0 else { return finished }
            total += Int64(n)
        }
        return true
    }

    private func readLength(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let want = Int(min(Int64(buffer.count), remaining))
        let n: Int
        if !connection.buffer.isEmpty {
            n = min(want, connection.buffer.count)
            buffer.baseAddress!.copyMemory(from: connection.buffer.readable.baseAddress!, byteCount: n)
            connection.buffer.consume(n)
        } else {
            n = try connection.transport.receive(
                into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
            if n == 0 { throw ByteSourceError.truncated }
        }
        remaining -= Int64(n)
        if remaining == 0 { finished = true }
        return n
    }

    private func readChunked(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            if !connection.buffer.isEmpty {
                let input = connection.buffer.readable
                let (step, consumed) = decoder.next(input, maxData: buffer.count)
                switch step {
                case .data(let range):
                    buffer.baseAddress!.copyMemory(
                        from: input.baseAddress! + range.lowerBound, byteCount: range.count)
                    connection.buffer.consume(consumed)
                    return range.count
                case .end:
                    connection.buffer.consume(consumed)
                    finished = true
                    return 0
                case .needMore:
                    connection.buffer.consume(consumed)
                case .invalid(let why):
                    throw HTTPBodyError.badChunkedFraming(why)
                }
            }
            let space = connection.buffer.writable(maxCapacity: connection.maxBufferCapacity)
            let n = try connection.transport.receive(into: space)
            if n == 0 { throw ByteSourceError.truncated }
            connection.buffer.didWrite(n)
        }
    }
}

/// The body of a request that has none.
final class EmptyBody: ByteSource, Sendable {
    static let shared = EmptyBody()
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int { 0 }
}
