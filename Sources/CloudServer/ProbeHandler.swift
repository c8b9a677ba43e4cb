import HTTP

/// The metrics port's handler: `/live` and `/ready` answer 200 JSON, `/metrics` the
/// Prometheus text exposition, to allowed addresses (healthChecks.allowFrom); 403 otherwise.
struct ProbeHandler: HTTPHandler {
    let allowed: @Sendable (String) -> Bool
    /// The exposition, rendered at each scrape.
    let metrics: @Sendable () -> [UInt8]

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        var headers = HTTPHeaders()
        guard allowed(request.remoteAddress) else {
            headers.add("Content-Type", "application/json")
            return HTTPResponse(
                status: 403, headers: headers,
                body: .bytes(Array(#"{"code":403,"message":"AccessDenied"}"#.utf8)))
        }
        switch request.path {
        case "/metrics":
            headers.add("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            return HTTPResponse(status: 200, headers: headers, body: .bytes(metrics()))
        case "/live", "/ready":
            headers.add("Content-Type", "application/json")
            return HTTPResponse(
                status: 200, headers: headers, body: .bytes(Array(#"{"code":200,"message":"OK"}"#.utf8)))
        default:
            headers.add("Content-Type", "application/json")
            return HTTPResponse(
                status: 404, headers: headers, body: .bytes(Array(#"{"code":404,"message":"NotFound"}"#.utf8))
            )
        }
    }

    func refuse(status: Int, reason: String, remoteAddress: String) -> HTTPResponse {
        HTTPResponse(status: status)
    }

    func completed(_ event: HTTPCompletion) {}
}
