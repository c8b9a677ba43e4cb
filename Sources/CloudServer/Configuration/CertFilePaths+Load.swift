import HTTP

extension CertFilePaths {
    /// Reads the files into the context of the HTTPS listener: `cert` (the server certificate,
    /// then any intermediates), `key`, and `ca` appended to the chain sent to clients.
    /// - Throws: `ConfigError` naming `configFile`, the key of the file OpenSSL refused
    ///   (`certFilePaths.cert`, `.key` also when it does not match the certificate, `.ca`)
    ///   and OpenSSL's reason.
    func loadContext(configFile: String) throws(ConfigError) -> TLSServerContext {
        do {
            return try TLSServerContext(certificateChainFile: cert, privateKeyFile: key, caFile: ca)
        } catch {
            guard let path = error.path else {
                throw ConfigError(file: configFile, key: "certFilePaths", problem: error.description)
            }
            let name = path == key ? "key" : path == ca ? "ca" : "cert"
            throw ConfigError(
                file: configFile, key: "certFilePaths.\(name)", problem: "cannot use \(path): \(error.reason)"
            )
        }
    }
}
