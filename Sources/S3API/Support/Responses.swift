import HTTP

/// Small constructors for the responses operations return.
extension HTTPResponse {
    /// An XML document with status 200 (or `status`).
    package static func xml(_ writer: XMLWriter, status: Int = 200, headers: HTTPHeaders = HTTPHeaders())
        -> HTTPResponse
    {
        var headers = headers
        headers.add("Content-Type", "application/xml")
        return HTTPResponse(status: status, headers: headers, body: .bytes(writer.bytes))
    }

    /// A body-less answer; `Content-Length: 0` is set by the server.
    package static func empty(_ status: Int = 200, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: .bytes([]))
    }
}
