/// The body of a client response, read from its connection as the caller pulls it:
/// Content-Length bytes, a chunked body, or everything until the server closes.
///
/// The moment the last byte is read, the connection goes back to the pool (when the server
/// keeps it alive); a body abandoned before its end closes the connection instead, in `close()`
/// or when the body is released, so a half-read response never reaches another request.
///
/// Reads wait at most the client's I/O timeout; failures throw `HTTPClientError` (`.closed`
/// when the server ends the stream early, `.io`, `.malformedResponse` for broken chunking).
package final class ClientResponseBody: SocketForwardingSource {
    private var connection: ClientConnection?
    private let framing: ResponseFraming
    private var remaining: Int64
    private var decoder = ChunkedDecoder()
    private let reusable: Bool
    private let pool: ConnectionPool
    /// Every byte of the body was read.
    package private(set) var isComplete = false

    init(connection: ClientConnection, framing: ResponseFraming, reusable: Bool, pool: ConnectionPool) {
        self.connection = connection
        self.framing = framing
        self.reusable = reusable
        self.pool = pool
        switch framing {
        case .length(let n): remaining = n
        default: remaining = 0
        }
        if framing == .none || framing == .length(0) { complete() }
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let connection, buffer.count > 0 else { return 0 }
        do throws(HTTPClientError) {
            switch framing {
            case .none:
                return 0
            case .length:
                let n = try readRaw(connection, into: buffer, limit: remaining)
                if n == 0 { throw HTTPClientError.closed(connection.endpoint) }
                remaining -= Int64(n)
                if remaining == 0 { complete() }
                return n
            case .untilClose:
                let n = try readRaw(connection, into: buffer, limit: Int64(buffer.count))
                if n == 0 { complete() }
                return n
            case .chunked:
                return try readChunked(connection, into: buffer)
            }
        } catch {
            abandon()
            throw error
        }
    }

    /// Splices a Content-Length body received over plain TCP: what is already buffered is sent
    /// first, the rest moves socket to socket in the kernel.
    /// - Throws: `HTTPClientError` when the remote fails, `IOError` when `transport` does.
    package func forward(_ count: Int64, to transport: TCPTransport) throws -> Bool {
        guard case .length = framing, let connection, count <= remaining,
            let source = connection.transport as? TCPTransport, let pipe = SocketSplice()
        else { return false }
        do {
            var left = count
            if !connection.buffer.isEmpty {
                let n = Int(min(left, Int64(connection.buffer.count)))
                try transport.send(UnsafeRawBufferPointer(rebasing: connection.buffer.readable[0..<n]))
                connection.buffer.consume(n)
                left -= Int64(n)
            }
            if left > 0 { try pipe.move(left, from: source.fd, to: transport.fd) }
        } catch let failure as SocketSplice.Failure {
            abandon()
            switch failure {
            case .source(let error): throw HTTPClientError.io(connection.endpoint, error)
            case .sourceEnded: throw HTTPClientError.closed(connection.endpoint)
            case .destination(let error): throw error
            }
        } catch {
            abandon()
            throw error
        }
        remaining -= count
        if remaining == 0 { complete() }
        return true
    }

    /// Copies buffered bytes first, else receives straight into `buffer`.
    private func readRaw(
        _ connection: ClientConnection, into buffer: UnsafeMutableRawBufferPointer, limit: Int64
    )
        throws(HTTPClientError) -> Int
    {
        let want = Int(min(Int64(buffer.count), limit))
        if !connection.buffer.isEmpty {
            let n = min(want, connection.buffer.count)
            buffer.baseAddress!.copyMemory(from: connection.buffer.readable.baseAddress!, byteCount: n)
            connection.buffer.consume(n)
            return n
        }
        return try connection.receive(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
    }

    private func readChunked(_ connection: ClientConnection, into buffer: UnsafeMutableRawBufferPointer)
        throws(HTTPClientError) -> Int
    {
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
                    complete()
                    return 0
                case .needMore:
                    connection.buffer.consume(consumed)
                case .invalid(let why):
                    throw .malformedResponse(connection.endpoint, "bad chunked body: \(why)")
                }
            }
            try connection.fill()
        }
    }

    /// Stops reading. A complete body has already released its connection; otherwise the
    /// connection is closed.
    package func close() { abandon() }

    /// Reads and drops what is left, up to `limit` bytes, so the connection can serve another
    /// request; past the limit, or on an error, the connection is closed.
    package func discard(limit: Int64 = 64 * 1024) {
        var scratch = [UInt8](repeating: 0, count: 16 * 1024)
        var total: Int64 = 0
        while connection != nil && total <= limit {
            guard let n = try? scratch.withUnsafeMutableBytes({ try read(into: $0) }), n > 0 else { break }
            total += Int64(n)
        }
        abandon()
    }

    private func complete() {
        isComplete = true
        guard let connection else { return }
        self.connection = nil
        if reusable && connection.buffer.isEmpty {
            pool.give(connection)
        } else {
            connection.close()
        }
    }

    private func abandon() {
        connection?.close()
        connection = nil
    }

    deinit { connection?.close() }
}
