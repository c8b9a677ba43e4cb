import Locks

/// Opening client connections: plain TCP for `http`, TLS over OpenSSL (certificate chain and
/// host name verified, SNI sent) for `https`, both through `TransportConnector`.
final class ClientTransport: Sendable {
    /// The CA bundle trusted for `https`; nil: the system's store.
    private let caFile: String?
    /// The TLS context, made on the first `https` connection and shared by every later one.
    private let tls = Locked<TLSClientConfiguration?>(nil)

    init(caFile: String?) { self.caFile = caFile }

    /// A connected transport to `endpoint`, its sends and receives bounded by `ioTimeout`.
    /// - Throws: `HTTPClientError.connect` when no address answers within `connectTimeout`,
    ///   or the TLS handshake or the certificate's verification fails.
    func open(_ endpoint: HTTPEndpoint, connectTimeout: Double, ioTimeout: Double)
        throws(HTTPClientError) -> any Transport
    {
        let tls = endpoint.useTLS ? try context(endpoint) : nil
        do throws(IOError) {
            return try TransportConnector.connect(
                host: endpoint.host, port: endpoint.port, tls: tls, connectTimeout: connectTimeout,
                ioTimeout: ioTimeout)
        } catch {
            throw .connect(endpoint, error.description)
        }
    }

    private func context(_ endpoint: HTTPEndpoint) throws(HTTPClientError) -> TLSClientConfiguration {
        try tls.withLock { (made: inout TLSClientConfiguration?) throws(HTTPClientError) -> TLSClientConfiguration in
            if let made { return made }
            do {
                let context = try TLSClientConfiguration(caFile: caFile)
                made = context
                return context
            } catch {
                throw .connect(endpoint, "TLS: \(error)")
            }
        }
    }
}
