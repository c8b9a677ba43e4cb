/// Where client requests go: scheme, host and port. Connections are pooled per endpoint.
package struct HTTPEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// True for `https`.
    package var useTLS: Bool
    /// A DNS name or an IP literal (IPv6 without brackets).
    package var host: String
    package var port: Int

    package init(useTLS: Bool, host: String, port: Int? = nil) {
        self.useTLS = useTLS
        var host = host
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host
        self.port = port ?? (useTLS ? 443 : 80)
    }

    /// The `Host` header value (RFC 9110 section 7.2): the port only when it is not the
    /// scheme's default, an IPv6 literal in brackets.
    package var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (useTLS ? 443 : 80) ? name : "\(name):\(port)"
    }

    package var description: String { (useTLS ? "https://" : "http://") + hostHeader }
}
