/// A response produced by a handler; the server writes it.
package struct HTTPResponse {
    package var status: Int
    package var headers: HTTPHeaders
    package var body: Body
    /// What the handler wants back in `HTTPCompletion.annotations` (its access-log fields).
    package var annotations: (any Sendable)?

    /// What follows the head.
    package enum Body {
        /// No body. For HEAD the handler still sets Content-Length itself.
        case empty
        /// A complete body in memory; the server sets Content-Length.
        case bytes([UInt8])
        /// A streamed body of `length` bytes (Content-Length set by the server), or chunked when
        /// `length` is nil. A `FileRegion` is sent with `sendfile(2)` on plain TCP.
        case stream(any ByteSource, length: Int64?)
    }

    package init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: Body = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Standard reason phrases for the status line.
package func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 100: "Continue"
    case 200: "OK"
    case 204: "No Content"
    case 206: "Partial Content"
    case 301: "Moved Permanently"
    case 304: "Not Modified"
    case 307: "Temporary Redirect"
    case 400: "Bad Request"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 408: "Request Timeout"
    case 409: "Conflict"
    case 411: "Length Required"
    case 412: "Precondition Failed"
    case 413: "Payload Too Large"
    case 416: "Requested Range Not Satisfiable"
    case 431: "Request Header Fields Too Large"
    case 500: "Internal Server Error"
    case 501: "Not Implemented"
    case 503: "Service Unavailable"
    default: "Status \(status)"
    }
}
