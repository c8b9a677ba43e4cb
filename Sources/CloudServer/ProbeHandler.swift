import HTTP

/// The metrics port's handler: `/live` and `/ready` answer 200 JSON to allowed addresses
/// (healthChecks.allowFrom), 403 otherwise.
struct ProbeHandler: HTTPHandler {
    let allowed: @Sendable (String) -> Bool

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        guard allowed(request.remoteAddress) else {
            return HTTPResponse(
                status: 403, headers: headers,
                body: .bytes(Array(#"{"code":403,"message":"AccessDenied"}"#.utf8)))
        }
        switch request.path {
        case "/live", "/ready":
            return HTTPResponse(
                status: 200, headers: headers, body: .bytes(Array(#"{"code":200,"message":"OK"}"#.utf8)))
        default:
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
