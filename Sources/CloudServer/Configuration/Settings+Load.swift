import Glibc
import Metadata
import S3API

/// Building `Settings` from the files, the environment and the flags.
///
/// Precedence: flags > environment > files > defaults. Order of work: locationConfig.json
/// (restEndpoints refer to it), config.json, then credentials, then environment and flags.
/// Empty environment variables count as unset.
///
/// Listening, in order of precedence:
/// 1. `--listen-addr` or LISTEN_ADDR: that one address, on `--port`, else `port` (default 8000).
/// 2. `--port` alone: every address on that port (config.json's `listenOn` is ignored).
/// 3. `listenOn` when not empty: exactly those entries.
/// 4. Otherwise every address on `port`: a single dual-stack `::` socket, which also accepts
///    IPv4 clients; `0.0.0.0` when the machine has no IPv6.
extension Settings {
    /// Loads the settings. `environment` is usually `ProcessInfo.processInfo.environment`;
    /// relative paths (files, data, metadata, certificates) are resolved against
    /// `workingDirectory`.
    /// - Throws: `ConfigError` naming the file (or `environment`, `command line`), the key
    ///   and the problem.
    package static func load(
        overrides: CommandLineOverrides = CommandLineOverrides(), environment: [String: String],
        workingDirectory: String
    ) throws(ConfigError) -> Settings {
        let env = environment.filter { !$0.value.isEmpty }
        let cwd = workingDirectory
        var settings = Settings()
        settings.sources = []

        // locationConfig.json
        let locationFile = try ConfigFiles.locate(
            fileName: "locationConfig.json", flag: overrides.locationConfigFile, variable: "S3_LOCATION_FILE",
            environment: env, workingDirectory: cwd)
        settings.locations = try LocationConfig.parse(
            try ConfigFiles.readJSON(locationFile), file: locationFile.display, environment: env,
            workingDirectory: cwd)
        settings.sources.append(locationFile.path)

        // config.json
        let configLocation = try ConfigFiles.locate(
            fileName: "config.json", flag: overrides.configFile, variable: "S3_CONFIG_FILE", environment: env,
            workingDirectory: cwd)
        let file = try ConfigFile.parse(
            try ConfigFiles.readJSON(configLocation), file: configLocation.display)
        settings.sources.append(configLocation.path)
        settings.configFile = configLocation.display

        settings.restEndpoints = file.restEndpoints
        for host in (env["ENDPOINT"] ?? "").split(separator: ",").map({ String($0).trimmingSpaces })
        where !host.isEmpty {
            // As the original's image does: every ENDPOINT host serves us-east-1.
            settings.restEndpoints[host] = LocationConfig.defaultLocation
        }
        for host in settings.restEndpoints.keys.sorted() {
            let location = settings.restEndpoints[host]!
            guard settings.locations[location] != nil else {
                throw ConfigError(
                    file: configLocation.display, key: "restEndpoints.\(host)",
                    problem: "\(JSONRendering.quoted(location)) is not a location of \(locationFile.display)")
            }
        }
        settings.websiteEndpoints = file.websiteEndpoints
        if let port = overrides.metricsPort, !(0...65535).contains(port) {
            throw ConfigError(
                file: ConfigError.commandLine, key: "--metrics-port",
                problem: "must be an integer between 0 and 65535 (got \(port))")
        }
        settings.metricsPort = overrides.metricsPort ?? file.metricsPort ?? 8002

        settings.credentials = try loadCredentials(overrides, env, cwd, &settings.sources)
        settings.listen = try listenAddresses(overrides, env, file)
        settings.healthCheckAllowFrom =
            try healthChecks(env) ?? file.healthCheckAllowFrom ?? Settings.defaultHealthCheckAllowFrom

        settings.logLevel = try logLevel(overrides, env) ?? file.logLevel ?? "info"
        if let group = env["REPLICATION_GROUP_ID"] {
            guard let padded = ReplicationGroup.normalize(group) else {
                throw ConfigError(
                    file: ConfigError.environment, key: "REPLICATION_GROUP_ID",
                    problem: ReplicationGroup.problem(group))
            }
            settings.replicationGroupID = padded
        } else {
            settings.replicationGroupID = file.replicationGroupID ?? Settings.defaultReplicationGroupID
        }
        if let encoding = env["S3_VERSION_ID_ENCODING_TYPE"] {
            guard let parsed = VersionID.Encoding(rawValue: encoding) else {
                throw ConfigError(
                    file: ConfigError.environment, key: "S3_VERSION_ID_ENCODING_TYPE",
                    problem: "must be \"hex\" or \"base62\" (got \(JSONRendering.quoted(encoding)))")
            }
            settings.versionIDEncoding = parsed
        }
        if let paths = file.certFilePaths {
            settings.certFilePaths = try resolve(paths, file: configLocation.display, workingDirectory: cwd)
        }

        settings.backend = try backend(overrides, env)
        switch env["S3DATA"] {
        case nil: settings.multipleBackends = false
        case "multiple": settings.multipleBackends = true
        case let other?:
            throw ConfigError(
                file: ConfigError.environment, key: "S3DATA",
                problem: "must be \"multiple\" or unset (got \(JSONRendering.quoted(other)))")
        }
        settings.dataPath = ConfigFiles.absolute(overrides.dataPath ?? env["S3DATAPATH"] ?? "localData", cwd)
        settings.metadataPath = ConfigFiles.absolute(
            overrides.metadataPath ?? env["S3METADATAPATH"] ?? "localMetadata", cwd)
        // REMOTE_MANAGEMENT_DISABLE is accepted and has no effect: there is no remote management.
        return settings
    }

    /// SCALITY_ACCESS_KEY_ID + SCALITY_SECRET_ACCESS_KEY (then authdata.json is not read),
    /// else authdata.json.
    private static func loadCredentials(
        _ overrides: CommandLineOverrides, _ env: [String: String], _ cwd: String, _ sources: inout [String]
    ) throws(ConfigError) -> [AuthData.Credential] {
        switch (env["SCALITY_ACCESS_KEY_ID"], env["SCALITY_SECRET_ACCESS_KEY"]) {
        case (let access?, let secret?):
            return AuthData.customAccount(accessKey: access, secret: secret)
        case (_?, nil):
            throw ConfigError(
                file: ConfigError.environment, key: "SCALITY_SECRET_ACCESS_KEY",
                problem: "is missing (SCALITY_ACCESS_KEY_ID is set; set both or neither)")
        case (nil, _?):
            throw ConfigError(
                file: ConfigError.environment, key: "SCALITY_ACCESS_KEY_ID",
                problem: "is missing (SCALITY_SECRET_ACCESS_KEY is set; set both or neither)")
        case (nil, nil):
            let location = try ConfigFiles.locate(
                fileName: "authdata.json", flag: overrides.authConfigFile, variable: "S3AUTH_CONFIG",
                environment: env, workingDirectory: cwd)
            let credentials = try AuthData.parse(try ConfigFiles.readJSON(location), file: location.display)
            sources.append(location.path)
            return credentials
        }
    }

    /// See the rules in the type's comment.
    private static func listenAddresses(
        _ overrides: CommandLineOverrides, _ env: [String: String], _ file: ConfigFile
    ) throws(ConfigError) -> [(host: String, port: Int)] {
        if let port = overrides.port, !(0...65535).contains(port) {
            throw ConfigError(
                file: ConfigError.commandLine, key: "--port",
                problem: "must be an integer between 0 and 65535 (got \(port))")
        }
        let port = overrides.port ?? file.port ?? 8000
        if let text = overrides.listenAddress {
            guard let host = ListenAddressText.parseHost(text) else {
                throw ConfigError(
                    file: ConfigError.commandLine, key: "--listen-addr",
                    problem: "must be an IPv4 or IPv6 address (got \(JSONRendering.quoted(text)))")
            }
            return [(host, port)]
        }
        if let text = env["LISTEN_ADDR"] {
            guard let host = ListenAddressText.parseHost(text) else {
                throw ConfigError(
                    file: ConfigError.environment, key: "LISTEN_ADDR",
                    problem: "must be an IPv4 or IPv6 address (got \(JSONRendering.quoted(text)))")
            }
            return [(host, port)]
        }
        if overrides.port == nil && !file.listenOn.isEmpty { return file.listenOn }
        return [(hasIPv6() ? "::" : "0.0.0.0", port)]
    }

    /// True when IPv6 sockets can be created here.
    private static func hasIPv6() -> Bool {
        let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    /// HEALTHCHECKS_ALLOWFROM: a comma list replacing `healthChecks.allowFrom`.
    private static func healthChecks(_ env: [String: String]) throws(ConfigError) -> [CIDR]? {
        guard let text = env["HEALTHCHECKS_ALLOWFROM"] else { return nil }
        var networks: [CIDR] = []
        for item in text.split(separator: ",").map({ String($0).trimmingSpaces }) where !item.isEmpty {
            guard let network = CIDR(item) else {
                throw ConfigError(
                    file: ConfigError.environment, key: "HEALTHCHECKS_ALLOWFROM",
                    problem: "\(JSONRendering.quoted(item)) is not an IP address or CIDR")
            }
            networks.append(network)
        }
        return networks
    }

    /// --log-level, else LOG_LEVEL; nil when neither is set.
    private static func logLevel(_ overrides: CommandLineOverrides, _ env: [String: String])
        throws(ConfigError) -> String?
    {
        let (value, file, key) =
            overrides.logLevel.map { ($0, ConfigError.commandLine, "--log-level") }
            ?? env["LOG_LEVEL"].map { ($0, ConfigError.environment, "LOG_LEVEL") } ?? (nil, "", "")
        guard let value else { return nil }
        guard LogLevelName.level(named: value) != nil else {
            throw ConfigError(
                file: file, key: key,
                problem: "must be one of \(LogLevelName.accepted) (got \(JSONRendering.quoted(value)))")
        }
        return value
    }

    /// --backend, else S3BACKEND, else `file`.
    private static func backend(_ overrides: CommandLineOverrides, _ env: [String: String])
        throws(ConfigError)
        -> String
    {
        let (value, file, key) =
            overrides.backend.map { ($0, ConfigError.commandLine, "--backend") }
            ?? env["S3BACKEND"].map { ($0, ConfigError.environment, "S3BACKEND") }
            ?? ("file", "", "")
        guard value == "file" || value == "mem" else {
            throw ConfigError(
                file: file, key: key, problem: "must be file or mem (got \(JSONRendering.quoted(value)))")
        }
        return value
    }

    /// Certificate paths made absolute and checked readable, as the original checks them.
    private static func resolve(_ paths: CertFilePaths, file: String, workingDirectory: String)
        throws(ConfigError)
        -> CertFilePaths
    {
        func check(_ path: String, _ key: String) throws(ConfigError) -> String {
            let absolute = ConfigFiles.absolute(path, workingDirectory)
            guard access(absolute, R_OK) == 0 else {
                throw ConfigError(
                    file: file, key: "certFilePaths.\(key)",
                    problem: "cannot read \(absolute): \(ConfigFiles.errorText(errno))")
            }
            return absolute
        }
        var ca: String? = nil
        if let given = paths.ca { ca = try check(given, "ca") }
        return CertFilePaths(key: try check(paths.key, "key"), cert: try check(paths.cert, "cert"), ca: ca)
    }
}
