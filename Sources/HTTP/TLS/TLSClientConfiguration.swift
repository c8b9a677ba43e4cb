/// How a client checks the servers it connects to over TLS: TLS 1.2 or newer, the peer's
/// certificate verified against the system CA store or a given PEM bundle, and its name
/// checked against the host connected to (see `TransportConnector.connect`).
///
/// Loading a trust store costs far more than a connection: build one configuration per
/// remote endpoint and share it; it is safe to use from every thread.
package final class TLSClientConfiguration: Sendable {
    let context: SSLContext
    /// The PEM bundle trusted instead of the system store, nil for the system store.
    package let caFile: String?

    /// - Throws: `TLSError` when `caFile` cannot be read or holds no certificate.
    package init(caFile: String? = nil) throws(TLSError) {
        let context = try SSLContext(role: .client)
        try context.trust(caFile: caFile)
        self.context = context
        self.caFile = caFile
    }
}
