/// A parsed HTTP/1.1 request whose body is read on demand.
///
/// Built by the server on a worker thread and handed to the `HTTPHandler`; not shared
/// across threads.
package final class HTTPRequest {
    /// The method token as sent (`GET`, `PUT`, ...).
    package let method: String
    /// The raw request-target, e.g. `/bucket/a%20key?versionId=x`.
    package let target: String
    /// The target's path, still percent-encoded.
    package let path: String
    /// The target's query string after `?` (without it), still percent-encoded; "" if none.
    package let query: String
    /// `(1, 1)` or `(1, 0)`.
    package let version: (major: Int, minor: Int)
    package let headers: HTTPHeaders
    /// The body with transfer-encoding removed. Reading it first sends `100 Continue` when the
    /// client asked for it. Empty for requests without a body.
    package let body: any ByteSource
    /// The Content-Length of the body; nil for a chunked body.
    package let contentLength: Int64?
    /// The peer address as text (`127.0.0.1`, `::1`).
    package let remoteAddress: String
    /// True on a TLS connection.
    package let isTLS: Bool

    package init(
        method: String, target: String, version: (major: Int, minor: Int) = (1, 1),
        headers: HTTPHeaders, body: any ByteSource, contentLength: Int64?,
        remoteAddress: String = "127.0.0.1", isTLS: Bool = false
    ) {
        self.method = method
        self.target = target
        // Byte search: `?` is ASCII, so its UTF-8 index is a valid string index (Character
        // search costs more than the rest of this initializer).
        if let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = String(target[..<q])
            query = String(target[target.utf8.index(after: q)...])
        } else {
            path = target
            query = ""
        }
        self.version = version
        self.headers = headers
        self.body = body
        self.contentLength = contentLength
        self.remoteAddress = remoteAddress
        self.isTLS = isTLS
    }
}
