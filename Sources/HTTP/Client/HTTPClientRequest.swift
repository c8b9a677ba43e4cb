#if canImport(Glibc)
    import Glibc
#endif

/// One request for `HTTPClient.execute`.
///
/// Not `Sendable`: a streamed body is read by the thread that executes the request.
package struct HTTPClientRequest {
    /// What follows the head.
    package enum Body {
        /// No body (no Content-Length is sent for GET, HEAD and DELETE; `0` otherwise).
        case empty
        /// A body in memory, sent with its Content-Length. Replayable: a request with it may be
        /// retried on a fresh connection.
        case bytes([UInt8])
        /// Exactly `length` bytes read from the source as they are sent, with Content-Length. A
        /// source that ends early or has more makes the request fail before the server can take
        /// the body as complete.
        case stream(any ByteSource, length: Int64)
    }

    package var method: String
    package var endpoint: HTTPEndpoint
    /// The request-target as sent: absolute path, percent-encoded, with `?query`.
    package var target: String
    /// Headers to send. `Host` is added from `endpoint` when absent; Content-Length comes from
    /// the body and must not be set here.
    package var headers: HTTPHeaders
    package var body: Body

    package init(
        method: String, endpoint: HTTPEndpoint, target: String, headers: HTTPHeaders = HTTPHeaders(),
        body: Body = .empty
    ) {
        self.method = method
        self.endpoint = endpoint
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// Whether the request may be sent again after its connection turned out to be closed
    /// before any response arrived: an idempotent method (RFC 9110 section 9.2.2) with a body
    /// that can be sent twice.
    var isRetryable: Bool {
        guard ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].contains(method) else { return false }
        if case .stream = body { return false }
        return true
    }
}

/// A response head with its body to read. The body must be read to its end (or `close()`d):
/// only a completely read body gives the connection back to the pool.
package struct HTTPClientResponse {
    package var status: Int
    package var headers: HTTPHeaders
    package var body: ClientResponseBody
}

/// Settings of an `HTTPClient`.
package struct HTTPClientConfiguration: Sendable, Equatable {
    /// Seconds to establish a TCP connection (each address tried shares it). Default: 5.
    package var connectTimeout: Double = 5
    /// Seconds any single send or receive may wait once connected: a server that stops
    /// answering fails the request after this long. Default: 30.
    package var ioTimeout: Double = 30
    /// Seconds an idle pooled connection is kept; older ones are closed rather than reused,
    /// since servers close idle connections on their own schedule. Default: 4.
    package var idleTimeout: Double = 4
    /// Idle connections kept per endpoint: as many as requests can run at once (the server's
    /// workers), so a busy endpoint does not open and close connections. Default: 64.
    package var maxIdlePerEndpoint = 64
    /// Status line + headers of a response, in bytes. Default: 64 KiB.
    package var maxResponseHeadBytes = 64 * 1024
    /// Header fields of a response. Default: 200.
    package var maxResponseHeaders = 200
    /// Bytes read from a streamed request body per send. Default: 256 KiB.
    package var sendBufferSize = 256 * 1024
    /// The CA bundle `https` endpoints' certificates must chain to; nil: the system's store
    /// (which `SSL_CERT_FILE` / `SSL_CERT_DIR` may point elsewhere).
    package var caFile: String?

    package init() {}
}

/// Failures of `HTTPClient.execute` and of reading a response body.
package enum HTTPClientError: Error, CustomStringConvertible {
    /// The endpoint could not be reached (name resolution, refused, unreachable, timeout).
    case connect(HTTPEndpoint, String)
    /// Sending or receiving failed or timed out after the connection was made.
    case io(HTTPEndpoint, IOError)
    /// The server closed the connection before the response was complete.
    case closed(HTTPEndpoint)
    /// The bytes received are not a valid HTTP/1.1 response.
    case malformedResponse(HTTPEndpoint, String)
    /// Reading the streamed request body failed; the original error.
    case bodySource(any Error)
    /// The streamed request body was shorter or longer than its declared length.
    case bodyLength(expected: Int64, actual: Int64)

    package var description: String {
        switch self {
        case .connect(let endpoint, let why): "connect to \(endpoint): \(why)"
        case .io(let endpoint, let error):
            error.errno == ETIMEDOUT ? "\(endpoint): timed out (\(error.function))" : "\(endpoint): \(error)"
        case .closed(let endpoint): "\(endpoint) closed the connection before the response ended"
        case .malformedResponse(let endpoint, let why): "\(endpoint) sent a malformed response: \(why)"
        case .bodySource(let error): "reading the request body failed: \(error)"
        case .bodyLength(let expected, let actual): "request body of \(actual) bytes, \(expected) declared"
        }
    }
}
