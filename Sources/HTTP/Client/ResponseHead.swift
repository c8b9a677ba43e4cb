/// A response's status line and header fields, as `ResponseHeadParser` read them.
package struct ResponseHead: Sendable, Equatable {
    package var status: Int
    package var reason: String
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    package var minorVersion: Int
    package var headers: HTTPHeaders

    package init(status: Int, reason: String, minorVersion: Int, headers: HTTPHeaders) {
        self.status = status
        self.reason = reason
        self.minorVersion = minorVersion
        self.headers = headers
    }

    /// The server lets the connection carry another request: HTTP/1.1 unless it sent
    /// `Connection: close`, HTTP/1.0 only with `Connection: keep-alive`.
    package var keepAlive: Bool {
        var close = false
        var keepAliveToken = false
        for value in headers.values("connection") {
            for token in value.split(separator: ",") {
                let name = token.trimmingSpacesAndTabs().lowercased()
                if name == "close" { close = true }
                if name == "keep-alive" { keepAliveToken = true }
            }
        }
        return minorVersion == 1 ? !close : keepAliveToken && !close
    }

    /// How the body of this response to a `method` request is delimited (RFC 9112 section 6.3):
    /// none after HEAD and for 1xx, 204 and 304; chunked when the last transfer coding is
    /// `chunked`; until the connection closes for any other transfer coding; else by
    /// Content-Length; until close without either.
    /// - Returns: nil when Content-Length is malformed or its values disagree.
    package func framing(forRequestMethod method: String) -> ResponseFraming? {
        if method == "HEAD" || (100..<200).contains(status) || status == 204 || status == 304 {
            return ResponseFraming.none
        }
        let codings = headers.values("transfer-encoding").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingSpacesAndTabs().lowercased() }.filter { !$0.isEmpty }
        if let last = codings.last {
            return last == "chunked" ? .chunked : .untilClose
        }
        var length: Int64?
        for value in headers.values("content-length") {
            for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                let text = item.trimmingSpacesAndTabs()
                guard !text.isEmpty, text.utf8.count <= 18,
                    text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                    let n = Int64(text)
                else { return nil }
                if let previous = length, previous != n { return nil }
                length = n
            }
        }
        return length.map { .length($0) } ?? .untilClose
    }
}

/// How a response body is delimited.
package enum ResponseFraming: Equatable, Sendable {
    /// No body.
    case none
    /// `Content-Length: n`.
    case length(Int64)
    /// `Transfer-Encoding: chunked`.
    case chunked
    /// The body ends when the server closes the connection.
    case untilClose
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpacesAndTabs() -> String {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
