#if canImport(Glibc)
    import Glibc
#endif

/// Our HTTP/1.1 client over POSIX sockets: blocking I/O on the caller's thread with connect
/// and per-I/O timeouts, keep-alive connections pooled per endpoint, streamed request and
/// response bodies.
///
/// A request on a pooled connection that the server had closed while it idled (the failure
/// comes before any response byte) is sent once more on a fresh connection when that is safe:
/// an idempotent method with a body in memory. Streamed bodies are never sent twice.
package final class HTTPClient: Sendable {
    package let configuration: HTTPClientConfiguration
    private let pool: ConnectionPool
    private let transports: ClientTransport

    package init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        self.configuration = configuration
        self.transports = ClientTransport(caFile: configuration.caFile)
        self.pool = ConnectionPool(
            idleTimeout: configuration.idleTimeout, maxPerEndpoint: configuration.maxIdlePerEndpoint)
    }

    /// Idle connections in the pool.
    package var idleConnectionCount: Int { pool.idleCount }

    /// Sends `request` and returns the response head with its body to read.
    /// - Throws: `HTTPClientError`.
    package func execute(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        var retried = false
        while true {
            let connection = try connection(to: request.endpoint)
            do {
                return try exchange(request, on: connection)
            } catch {
                connection.close()
                if !retried && connection.reused && connection.bytesReceived == 0 && request.isRetryable
                    && error.mayMeanStaleConnection
                {
                    retried = true
                    continue
                }
                throw error
            }
        }
    }

    /// Closes the idle connections (shutdown, tests).
    package func closeIdleConnections() { pool.closeAll() }

    private func connection(to endpoint: HTTPEndpoint) throws(HTTPClientError) -> ClientConnection {
        if let pooled = pool.take(endpoint) { return pooled }
        let transport = try transports.open(
            endpoint, connectTimeout: configuration.connectTimeout, ioTimeout: configuration.ioTimeout)
        return ClientConnection(
            endpoint: endpoint, transport: transport, maxHeadBytes: configuration.maxResponseHeadBytes)
    }

    private func exchange(_ request: HTTPClientRequest, on connection: ClientConnection)
        throws(HTTPClientError)
        -> HTTPClientResponse
    {
        connection.beginExchange()
        var sendFailure: HTTPClientError?
        do {
            try connection.send(
                head: Self.head(of: request), body: request.body, bufferSize: configuration.sendBufferSize)
        } catch {
            guard case .io = error else { throw error }
            // The server may have answered (an error) and closed without reading the whole body.
            sendFailure = error
        }
        let head: ResponseHead
        do {
            head = try connection.readHead(
                maxHeadBytes: configuration.maxResponseHeadBytes, maxHeaders: configuration.maxResponseHeaders
            )
        } catch {
            throw sendFailure ?? error
        }
        guard let framing = head.framing(forRequestMethod: request.method) else {
            throw .malformedResponse(request.endpoint, "invalid Content-Length")
        }
        let reusable = sendFailure == nil && head.keepAlive && framing != .untilClose
        let body = ClientResponseBody(
            connection: connection, framing: framing, reusable: reusable, pool: pool)
        return HTTPClientResponse(status: head.status, headers: head.headers, body: body)
    }

    /// The request line and header fields, with `Host` and the body's framing added.
    static func head(of request: HTTPClientRequest) -> [UInt8] {
        var text = "\(request.method) \(request.target) HTTP/1.1\r\n"
        if request.headers["host"] == nil { text += "Host: \(request.endpoint.hostHeader)\r\n" }
        for field in request.headers {
            text += field.name
            text += ": "
            // A line break in a value would end the header early (response splitting).
            text +=
                field.value.contains(where: \.isNewline)
                ? String(field.value.map { $0.isNewline ? " " : $0 }) : field.value
            text += "\r\n"
        }
        switch request.body {
        case .empty:
            if !["GET", "HEAD", "DELETE", "OPTIONS"].contains(request.method) {
                text += "Content-Length: 0\r\n"
            }
        case .bytes(let bytes):
            text += "Content-Length: \(bytes.count)\r\n"
        case .stream(_, let length):
            text += "Content-Length: \(length)\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }
}

extension HTTPClientError {
    /// A failure that a server closing an idle keep-alive connection produces: the stream ends
    /// or is reset before the response.
    var mayMeanStaleConnection: Bool {
        switch self {
        case .closed: true
        case .io(_, let error): [ECONNRESET, EPIPE, ENOTCONN].contains(error.errno)
        default: false
        }
    }
}
