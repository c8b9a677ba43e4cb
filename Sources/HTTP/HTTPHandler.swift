/// What the server calls for every request, on a worker thread, with blocking I/O allowed.
package protocol HTTPHandler: Sendable {
    /// Answers `request`. May read `request.body`; the server drains or closes after.
    func handle(_ request: HTTPRequest) -> HTTPResponse

    /// Answers a request the server refused before any handler could run (malformed request
    /// line, headers too large or too many, bad chunked framing): `status` is 400 or 431, `reason`
    /// names the problem. The connection is closed after this answer.
    func refuse(status: Int, reason: String, remoteAddress: String) -> HTTPResponse

    /// Called once per request after its response was written (or failed), for access logs and
    /// metrics.
    func completed(_ event: HTTPCompletion)
}

/// What the server knows of a finished exchange.
package struct HTTPCompletion: Sendable {
    package var method: String
    package var target: String
    package var status: Int
    /// Request body bytes read (the head excluded).
    package var bytesIn: Int64
    /// Response bytes written, head included.
    package var bytesOut: Int64
    package var elapsedNanoseconds: UInt64
    package var remoteAddress: String
    /// Set when writing the response failed (client gone, timeout).
    package var failure: String?
    /// The `annotations` of the response, passed through unchanged.
    package var annotations: (any Sendable)?

    package init(
        method: String, target: String, status: Int, bytesIn: Int64, bytesOut: Int64,
        elapsedNanoseconds: UInt64, remoteAddress: String, failure: String? = nil,
        annotations: (any Sendable)? = nil
    ) {
        self.annotations = annotations
        self.method = method
        self.target = target
        self.status = status
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.elapsedNanoseconds = elapsedNanoseconds
        self.remoteAddress = remoteAddress
        self.failure = failure
    }
}
