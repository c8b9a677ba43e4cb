import HTTP
import Logging
import Synchronization

/// The HTTP server's handler: request IDs, healthcheck, routing and operations, S3 error
/// bodies, the headers every S3 response carries, the access log line and the request metrics.
package struct S3Handler: HTTPHandler {
    package let service: S3Service
    package let metrics: RequestMetrics

    package init(service: S3Service, metrics: RequestMetrics = .none) {
        self.service = service
        self.metrics = metrics
    }

    package func handle(_ request: HTTPRequest) -> HTTPResponse {
        let requestID = RequestID.next()
        var log = RequestLog(requestID: requestID)
        var response: HTTPResponse
        if request.path == "/_/healthcheck" {
            log.operation = "Healthcheck"
            log.metricsOperation = .healthcheck
            response = healthcheck(request, requestID: requestID)
        } else {
            do {
                response = try service.serve(request, requestID: requestID, log: &log)
            } catch {
                // NotImplemented is the client's request for a feature not built, not a failure here.
                if error.status >= 500 && error.code != S3Error.notImplemented.code {
                    service.logger.error(
                        "request failed", metadata: ["req_id": "\(requestID)", "error": "\(error)"])
                }
                log.errorCode = error.code
                response = ErrorResponse.make(error, request: request, requestID: requestID)
            }
        }
        ResponseHeaders.addCommon(to: &response.headers, requestID: requestID)
        response.annotations = log
        return response
    }

    package func refuse(status: Int, reason: String, remoteAddress: String) -> HTTPResponse {
        let requestID = RequestID.next()
        let error =
            status == 431
            ? S3Error(
                "RequestHeaderSectionTooLarge", 400,
                "Your request header section exceeds the maximum allowed size.")
            : S3Error.invalidRequest.with(message: reason)
        var response = ErrorResponse.make(error, request: nil, requestID: requestID)
        response.status = status
        ResponseHeaders.addCommon(to: &response.headers, requestID: requestID)
        return response
    }

    package func completed(_ event: HTTPCompletion) {
        let log = event.annotations as? RequestLog
        metrics.record(event, operation: log?.metricsOperation ?? .unknown)
        guard service.logger.logLevel <= .info else { return }
        var metadata: Logger.Metadata = [
            "req_id": .string(log?.requestID ?? "-"),
            "remote": .string(Self.displayAddress(event.remoteAddress)),
            "method": .string(event.method),
            "status": .stringConvertible(event.status),
            "bytes_in": .stringConvertible(event.bytesIn),
            "bytes_out": .stringConvertible(event.bytesOut),
            "elapsed_ms": .stringConvertible(Double(event.elapsedNanoseconds / 1000) / 1000),
        ]
        if let bucket = log?.bucket { metadata["bucket"] = .string(bucket) }
        if let key = log?.key { metadata["key"] = .string(key) }
        if let operation = log?.operation { metadata["operation"] = .string(operation) }
        if let code = log?.errorCode { metadata["error_code"] = .string(code) }
        if let failure = event.failure { metadata["failure"] = "\(failure)" }
        service.logger.info("request", metadata: metadata)
    }

    /// An IPv4 client of a dual-stack socket arrives as `::ffff:a.b.c.d`; logs show `a.b.c.d`.
    static func displayAddress(_ address: String) -> String {
        address.hasPrefix("::ffff:") && address.contains(".") ? String(address.dropFirst(7)) : address
    }
}

/// Headers on every response (STYLE: `x-amz-request-id`, `x-amz-id-2`, `Date`, `Server`).
package enum ResponseHeaders {
    package static func addCommon(to headers: inout HTTPHeaders, requestID: String) {
        headers.add(S3Header.requestID, requestID)
        headers.add(S3Header.id2, RequestID.hostID(requestID))
        headers.add("Date", HTTPDate.rfc1123(milliseconds: HTTPDate.nowMilliseconds()))
        headers.add("Server", "CloudServer")
    }
}

/// Renders an `S3Error` as S3's `<Error>` document (HEAD: status and headers only).
package enum ErrorResponse {
    package static func make(_ error: S3Error, request: HTTPRequest?, requestID: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        for (name, value) in error.headers { headers.add(name, value) }
        if request?.method == "HEAD" {
            return HTTPResponse(status: error.status, headers: headers)
        }
        var xml = XMLWriter()
        xml.element("Error") { x in
            x.element("Code", error.code)
            x.element("Message", error.message)
            for (name, value) in error.details { x.element(name, value) }
            if let request {
                x.element(
                    "Resource",
                    PercentEncoding.decode(Substring(request.path), plusAsSpace: false) ?? request.path)
            }
            x.element("RequestId", requestID)
            x.element("HostId", RequestID.hostID(requestID))
        }
        headers.add("Content-Type", "application/xml")
        return HTTPResponse(status: error.status, headers: headers, body: .bytes(xml.bytes))
    }
}
