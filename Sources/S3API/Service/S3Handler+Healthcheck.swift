import Data
import HTTP

extension S3Handler {
    /// `GET /_/healthcheck`: each location's state, as the original answers it
    /// (`healthcheckHandler.js`): `{"us-east-1":{"code":200,"message":"OK"},"aws-test":{...}}`.
    /// A location whose data lives in another service is marked `"external":true`; when it is
    /// down its entry says why (`"error"`), and the answer stays 200: only when every local
    /// location fails is the server unhealthy (500). 403 to addresses outside
    /// `healthChecks.allowFrom`.
    func healthcheck(_ request: HTTPRequest, requestID: String) -> HTTPResponse {
        guard service.configuration.healthCheckAllowed(request.remoteAddress) else {
            return ErrorResponse.make(.accessDenied, request: request, requestID: requestID)
        }
        let states = service.gateway.healthcheck()
        var json = JSONWriter()
        json.object { o in
            for (name, health) in states.sorted(by: { $0.key < $1.key }) {
                o.object(name) { entry in
                    entry.field("code", Int64(health.ok ? 200 : 503))
                    entry.field("message", health.ok ? "OK" : "Unavailable")
                    if !health.ok { entry.field("error", health.detail) }
                    if health.external { entry.field("external", true) }
                }
            }
        }
        let local = states.values.filter { !$0.external }
        let failing = !local.isEmpty && local.allSatisfy { !$0.ok }
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        return HTTPResponse(
            status: failing ? 500 : 200, headers: headers,
            body: request.method == "HEAD" ? .empty : .bytes(json.bytes))
    }
}
