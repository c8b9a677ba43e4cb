#if canImport(Glibc)
    import Glibc
#endif

/// One client connection: its transport, the response bytes received and not consumed yet, and
/// what the pool needs to know about it.
///
/// `@unchecked Sendable`: a connection is used by one thread at a time (the one executing a
/// request, then the one reading its response body) and changes hands only through the
/// pool's lock.
final class ClientConnection: @unchecked Sendable {
    let endpoint: HTTPEndpoint
    let transport: any Transport
    var buffer = ReadBuffer()
    /// Largest input block: a whole response head plus room for what follows it.
    let maxBufferCapacity: Int
    /// When it was last given back to the pool (monotonic ns).
    var idleSince: UInt64 = 0
    /// It carried an earlier request (it came from the pool), so a failure before any response
    /// byte may just mean the server closed it while it was idle.
    var reused = false
    /// Bytes received for the current exchange.
    private(set) var bytesReceived = 0
    private var closed = false

    init(endpoint: HTTPEndpoint, transport: any Transport, maxHeadBytes: Int) {
        self.endpoint = endpoint
        self.transport = transport
        self.maxBufferCapacity = maxHeadBytes + 4096
    }

    /// Whether an idle connection can carry a request: nothing pending, and the server has not
    /// closed it (a read that does not wait finds neither bytes nor the end of the stream).
    func isAlive() -> Bool {
        guard !closed, buffer.isEmpty else { return false }
        var probe: UInt8 = 0
        do {
            let n = try withUnsafeMutableBytes(of: &probe) { raw throws(IOError) -> Int? in
                try transport.receiveNow(into: raw)
            }
            return n == nil
        } catch {
            return false
        }
    }

    /// Starts a new exchange: counts response bytes from zero.
    func beginExchange() { bytesReceived = 0 }

    /// Receives more bytes into `buffer`.
    /// - Throws: `.closed` at end of stream, `.io` on a socket error or timeout,
    ///   `.malformedResponse` when the buffer is full (a head past the limit).
    func fill() throws(HTTPClientError) {
        let space = buffer.writable(maxCapacity: maxBufferCapacity)
        if space.isEmpty { throw .malformedResponse(endpoint, "response head too large") }
        let n: Int
        do {
            n = try transport.receive(into: space)
        } catch {
            throw .io(endpoint, error)
        }
        if n == 0 { throw .closed(endpoint) }
        bytesReceived += n
        buffer.didWrite(n)
    }

    /// Receives directly into `target` (body bytes when nothing is buffered); 0 at end of stream.
    func receive(into target: UnsafeMutableRawBufferPointer) throws(HTTPClientError) -> Int {
        do {
            let n = try transport.receive(into: target)
            bytesReceived += n
            return n
        } catch {
            throw .io(endpoint, error)
        }
    }

    /// Reads the final response head, skipping `1xx` interim responses (`100 Continue`).
    /// - Throws: `.closed`, `.io`, `.malformedResponse`.
    func readHead(maxHeadBytes: Int, maxHeaders: Int) throws(HTTPClientError) -> ResponseHead {
        var parser = ResponseHeadParser(maxHeadBytes: maxHeadBytes, maxHeaderCount: maxHeaders)
        while true {
            switch parser.parse(buffer.readable) {
            case .needMore:
                try fill()
            case .invalid(let why):
                throw .malformedResponse(endpoint, why)
            case .complete(let head, let length):
                buffer.consume(length)
                if head.status == 101 {
                    throw .malformedResponse(endpoint, "unexpected 101 Switching Protocols")
                }
                if head.status >= 200 { return head }
                parser.reset()
            }
        }
    }

    /// Sends the request head and body.
    /// - Throws: `.io` when sending fails, `.bodySource` when reading a streamed body fails,
    ///   `.bodyLength` when it is shorter or longer than declared; in the last two cases the
    ///   body's final bytes are never sent, so the server cannot take it as complete.
    func send(head: [UInt8], body: HTTPClientRequest.Body, bufferSize: Int) throws(HTTPClientError) {
        switch body {
        case .empty:
            try sendAll(head, [])
        case .bytes(let bytes):
            try sendAll(head, bytes)
        case .stream(let source, let length):
            try sendStream(head: head, source: source, length: length, bufferSize: bufferSize)
        }
    }

    private func sendAll(_ first: [UInt8], _ second: [UInt8]) throws(HTTPClientError) {
        let result = first.withUnsafeBytes { a in
            second.withUnsafeBytes { b in send(a, b) }
        }
        if case .failure(let error) = result { throw .io(endpoint, error) }
    }

    /// `transport.send(first, second)` as a value, for use inside `withUnsafeBytes`.
    private func send(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> Result<
        Void, IOError
    > {
        do throws(IOError) {
            try transport.send(first, second)
            return .success(())
        } catch {
            return .failure(error)
        }
    }

    /// Streams exactly `length` bytes of `source` after the head. Each buffer is filled before
    /// it is sent, and the source is read once more before the last one goes out: a source that
    /// fails at its end (an aws-chunked signature, a trailing checksum) or holds more than
    /// `length` bytes stops the request while the server still misses bytes.
    private func sendStream(head: [UInt8], source: any ByteSource, length: Int64, bufferSize: Int)
        throws(HTTPClientError)
    {
        let capacity = Int(min(Int64(bufferSize), max(length, 1)))
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { chunk.deallocate() }
        var pendingHead: [UInt8]? = head
        var read: Int64 = 0
        while true {
            var filled = 0
            while filled < capacity && read < length {
                let want = Int(min(Int64(capacity - filled), length - read))
                let n: Int
                do {
                    n = try source.read(
                        into: UnsafeMutableRawBufferPointer(rebasing: chunk[filled..<(filled + want)]))
                } catch {
                    throw .bodySource(error)
                }
                if n == 0 { throw .bodyLength(expected: length, actual: read) }
                filled += n
                read += Int64(n)
            }
            if read == length {
                var extra: UInt8 = 0
                let more: Int
                do {
                    more = try withUnsafeMutableBytes(of: &extra) { try source.read(into: $0) }
                } catch {
                    throw .bodySource(error)
                }
                if more > 0 { throw .bodyLength(expected: length, actual: read + Int64(more)) }
            }
            let payload = UnsafeRawBufferPointer(rebasing: chunk[0..<filled])
            let result = (pendingHead ?? []).withUnsafeBytes { h in send(h, payload) }
            pendingHead = nil
            if case .failure(let error) = result { throw .io(endpoint, error) }
            if read == length { return }
        }
    }

    /// Closes the socket and frees the buffer. Idempotent.
    func close() {
        if closed { return }
        closed = true
        transport.close()
        buffer.release()
    }

    deinit { close() }
}
