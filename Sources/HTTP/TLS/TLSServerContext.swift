/// The server side of TLS: certificate, private key and chain loaded from PEM files, TLS 1.2
/// or newer, SNI acknowledged. Built once at startup and again on each reload; connections
/// accepted after `HTTPServer.replaceTLSContext(_:)` use the new one, connections already
/// open keep the one they started with.
package final class TLSServerContext: Sendable {
    let context: SSLContext

    /// Loads `certificateChainFile` (the server certificate first, then any intermediates),
    /// `privateKeyFile` (checked against that certificate) and, when given, `caFile`, whose
    /// certificates are appended to the chain sent to clients.
    /// - Throws: `TLSError` whose `path` names the file that could not be used (the key file
    ///   when key and certificate do not match).
    package init(certificateChainFile: String, privateKeyFile: String, caFile: String? = nil) throws(TLSError)
    {
        let context = try SSLContext(role: .server)
        try context.useCertificateChain(file: certificateChainFile)
        try context.usePrivateKey(file: privateKeyFile)
        if let caFile { try context.appendChain(file: caFile) }
        context.acceptEveryServerName()
        self.context = context
    }
}
