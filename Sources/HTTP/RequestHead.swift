/// How a request's body is delimited (RFC 9112 section 6).
package enum BodyFraming: Equatable, Sendable {
    /// No Content-Length and no Transfer-Encoding: no body.
    case none
    /// `Content-Length: n`.
    case length(Int64)
    /// `Transfer-Encoding: chunked`.
    case chunked
}

/// A request head that passed every check of `RequestHeadParser`: what a worker needs to build an
/// `HTTPRequest` and to decide keep-alive.
package struct RequestHead: Sendable, Equatable {
    package var method: String
    package var target: String
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    package var minorVersion: Int
    package var headers: HTTPHeaders
    package var framing: BodyFraming
    /// `Expect: 100-continue` was sent.
    package var expectContinue: Bool
    /// The client allows another request on this connection (HTTP/1.1 unless `Connection: close`;
    /// HTTP/1.0 only with `Connection: keep-alive`).
    package var keepAlive: Bool

    package init(
        method: String, target: String, minorVersion: Int, headers: HTTPHeaders, framing: BodyFraming,
        expectContinue: Bool, keepAlive: Bool
    ) {
        self.method = method
        self.target = target
        self.minorVersion = minorVersion
        self.headers = headers
        self.framing = framing
        self.expectContinue = expectContinue
        self.keepAlive = keepAlive
    }
}

extension HTTPHeaders: Equatable {
    package static func == (a: HTTPHeaders, b: HTTPHeaders) -> Bool { a.fields == b.fields }
}
