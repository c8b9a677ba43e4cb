import Data
import HTTP
import Logging
import Metadata
import S3API
import S3Auth

#if canImport(Glibc)
    import Glibc
#endif

/// Wires configuration, stores, backends and the HTTP servers together.
package enum CloudServer {
    /// Starts the server with `settings`, serves until SIGTERM/SIGINT, shuts down gracefully;
    /// with `certFilePaths`, SIGHUP reloads the certificate files. Returns the process exit
    /// code. Throws when startup fails: `ConfigError` for unusable certificate files, others
    /// (bind, metadata open).
    package static func run(_ settings: Settings, logger: Logger) throws -> Int32 {
        let signals = ProcessSignals(reload: settings.certFilePaths != nil)
        raiseOpenFileLimit()
        let instance = try Instance(settings: settings, logger: logger)
        try instance.start()
        logger.info(
            "server started",
            metadata: [
                "version": "\(CloudServerVersion.current)",
                "ports": "\(instance.s3Server.boundPorts)", "backend": "\(settings.backend)",
                "data": "\(settings.dataPath)", "metadata": "\(settings.metadataPath)",
                "scheme": "\(instance.s3Server.isTLS ? "https" : "http")",
            ])
        var request = signals.wait()
        while request == .reload {
            do {
                try instance.reloadCertificates()
                logger.info("certificates reloaded")
            } catch {
                logger.error(
                    "certificate reload failed, the previous certificate stays in use",
                    metadata: ["error": "\(error)"])
            }
            request = signals.wait()
        }
        logger.info("shutting down", metadata: ["signal": "\(request)"])
        instance.stop()
        logger.info("server stopped")
        return 0
    }
}

/// Lifts the soft limit on open files to the hard limit: every connection and every object
/// read holds a descriptor.
private func raiseOpenFileLimit() {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else {
        return
    }
    limit.rlim_cur = limit.rlim_max
    setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}

/// One running server: the metadata store, the data gateway, the S3 service, its HTTP
/// server and the health/metrics server. Tests start it in-process on port 0.
package final class Instance: Sendable {
    package let service: S3Service
    package let s3Server: HTTPServer
    package let metricsServer: HTTPServer?
    /// The Prometheus series of this instance (served at `/metrics` on `metricsPort`).
    package let metrics: ServerMetrics
    private let store: any MetadataStore
    private let sweeper: OrphanSweeper?
    private let certificates: (paths: CertFilePaths, configFile: String)?
    private let data: DataWiring
    private let logger: Logger

    /// Opens the stores and builds the servers; nothing listens until `start()`. With
    /// `certFilePaths` the S3 port speaks HTTPS (the metrics port stays plain HTTP).
    /// - Throws: `ConfigError` for certificate files OpenSSL cannot use,
    ///   `MetadataError.corrupt` for an unusable metadata file, `IOError`.
    package init(settings: Settings, logger: Logger) throws {
        certificates = settings.certFilePaths.map { ($0, settings.configFile) }
        let tls = try certificates.map { files throws(ConfigError) in
            try files.paths.loadContext(configFile: files.configFile)
        }
        let metrics = ServerMetrics()
        let store: any MetadataStore =
            settings.backend == "mem"
            ? MemoryStore()
            : try SQLiteStore(
                directory: settings.metadataPath, metrics: CommitMetrics(factory: metrics.factory))
        let data = try DataWiring(settings: settings, metrics: metrics.factory)
        self.data = data
        self.logger = logger
        var configuration = S3Configuration(
            locations: settings.locations.mapValues {
                S3Configuration.Location(type: $0.type, legacyAwsBehavior: $0.legacyAwsBehavior)
            },
            restEndpoints: settings.restEndpoints, websiteEndpoints: settings.websiteEndpoints,
            multipleBackends: settings.multipleBackends, defaultDataLocation: data.defaultLocation,
            replicationGroupID: settings.replicationGroupID,
            healthCheckAllowed: { [allow = settings.healthCheckAllowFrom] address in
                allow.contains { $0.contains(address) }
            })
        configuration.versionIDEncoding = settings.versionIDEncoding
        let authenticator = Authenticator(
            credentials: StaticCredentialStore(settings.credentials), region: "us-east-1")
        service = S3Service(
            configuration: configuration, store: store, gateway: data.gateway, authenticator: authenticator,
            logger: logger)
        self.store = store
        self.metrics = metrics
        let s3Server = HTTPServer(
            configuration: HTTPServerConfiguration(
                listen: settings.listen.map { .init(host: $0.host, port: $0.port) }, tls: tls),
            handler: S3Handler(service: service, metrics: RequestMetrics(factory: metrics.factory)),
            logger: logger)
        self.s3Server = s3Server
        if settings.metricsPort > 0 {
            let host = settings.listen.first?.host ?? "0.0.0.0"
            metricsServer = HTTPServer(
                configuration: HTTPServerConfiguration(
                    listen: [.init(host: host, port: settings.metricsPort)], workerCount: 2),
                handler: ProbeHandler(
                    allowed: configuration.healthCheckAllowed,
                    metrics: { metrics.exposition(openConnections: s3Server.openConnections) }),
                logger: logger)
        } else {
            metricsServer = nil
        }
        // Only durable metadata can tell which data files are orphans: with S3BACKEND=mem the
        // store starts empty, and the files under S3DATAPATH belong to runs with the file backend.
        sweeper =
            settings.backend == "mem"
            ? nil
            : data.fileBackend.map {
                OrphanSweeper(
                    backend: $0, store: store, locationNames: data.fileLocationNames, logger: logger)
            }
    }

    /// Clears temp files of a previous run, listens, and starts the orphan sweep, the collector
    /// of replaced remote versions and the first probe of remote locations in the background.
    package func start() throws {
        try sweeper?.removeTemporaryFiles()
        try s3Server.start()
        try metricsServer?.start()
        sweeper?.startBackgroundSweep()
        service.collector.start()
        data.reportRemoteStates(logger)
    }

    /// Reads the certificate files again; connections accepted from now on use them (SIGHUP).
    /// - Throws: `ConfigError` as at startup; the previous certificate then stays in use.
    package func reloadCertificates() throws(ConfigError) {
        guard let certificates else { return }
        s3Server.replaceTLSContext(try certificates.paths.loadContext(configFile: certificates.configFile))
    }

    /// Graceful shutdown: stop accepting, finish in-flight requests, close the store.
    package func stop() {
        metricsServer?.shutdown()
        s3Server.shutdown()
        sweeper?.stop()
        service.collector.stop()
        (store as? SQLiteStore)?.close()
    }
}
