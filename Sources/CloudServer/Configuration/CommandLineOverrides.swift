/// Values given as command-line flags; each one, when set, beats the environment and the
/// files. nil means "not given".
package struct CommandLineOverrides: Sendable, Equatable {
    /// `--port`: the port to listen on; replaces `port` and the ports of `listenOn`.
    package var port: Int?
    /// `--metrics-port`: the port of `/metrics`, `/live` and `/ready` (beats `metricsPort`); 0
    /// turns that listener off.
    package var metricsPort: Int?
    /// `--listen-addr`: the one IP address to listen on (beats LISTEN_ADDR and `listenOn`).
    package var listenAddress: String?
    /// `--config`: path of config.json (beats S3_CONFIG_FILE).
    package var configFile: String?
    /// `--location-config`: path of locationConfig.json (beats S3_LOCATION_FILE).
    package var locationConfigFile: String?
    /// `--auth-config`: path of authdata.json (beats S3AUTH_CONFIG).
    package var authConfigFile: String?
    /// `--data-path`: object data directory (beats S3DATAPATH).
    package var dataPath: String?
    /// `--metadata-path`: metadata directory (beats S3METADATAPATH).
    package var metadataPath: String?
    /// `--backend`: `file` or `mem` (beats S3BACKEND).
    package var backend: String?
    /// `--log-level`: `info`, `debug` or `trace` (beats LOG_LEVEL and `log.logLevel`).
    package var logLevel: String?

    package init(
        port: Int? = nil, metricsPort: Int? = nil, listenAddress: String? = nil, configFile: String? = nil,
        locationConfigFile: String? = nil, authConfigFile: String? = nil, dataPath: String? = nil,
        metadataPath: String? = nil, backend: String? = nil, logLevel: String? = nil
    ) {
        self.port = port
        self.metricsPort = metricsPort
        self.listenAddress = listenAddress
        self.configFile = configFile
        self.locationConfigFile = locationConfigFile
        self.authConfigFile = authConfigFile
        self.dataPath = dataPath
        self.metadataPath = metadataPath
        self.backend = backend
        self.logLevel = logLevel
    }
}
