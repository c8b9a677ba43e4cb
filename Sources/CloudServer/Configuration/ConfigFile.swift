/// The keys of `config.json` this server uses, read and checked, before environment variables
/// and flags are applied.
///
/// Keys of the original that concern parts this server does not have (`clusters`, `bucketd`,
/// `vaultd`, `sproxyd`, `kmip`, `cdmi`, `dataClient`, `recordLog`...) are ignored silently.
struct ConfigFile {
    /// `port`: 0...65535; nil when absent (8000 then).
    var port: Int?
    /// `listenOn`: `"ip:port"` or `"[ipv6]:port"` entries.
    var listenOn: [(host: String, port: Int)] = []
    /// `restEndpoints`: host → location name (checked against locationConfig.json later).
    var restEndpoints: [String: String] = [:]
    /// `websiteEndpoints`.
    var websiteEndpoints: [String] = []
    /// `healthChecks.allowFrom`; nil when absent.
    var healthCheckAllowFrom: [CIDR]?
    /// `log.logLevel`; nil when absent. `log.dumpLevel` is accepted and ignored.
    var logLevel: String?
    /// `replicationGroupId`, already padded to 7 characters; nil when absent.
    var replicationGroupID: String?
    /// `certFilePaths` as written (relative paths not yet resolved).
    var certFilePaths: CertFilePaths?
    /// `metricsPort`; nil when absent (8002 then).
    var metricsPort: Int?

    /// Reads the document of `file`.
    static func parse(_ document: JSONValue, file: String) throws(ConfigError) -> ConfigFile {
        let root = try ConfigObject(document, file: file, path: "")
        var config = ConfigFile()
        config.port = try root.integer("port", in: 0...65535)
        config.metricsPort = try root.integer("metricsPort", in: 0...65535)

        for (position, entry) in (try root.strings("listenOn") ?? []).enumerated() {
            guard let address = ListenAddressText.parseHostPort(entry) else {
                throw ConfigError(
                    file: file, key: "listenOn[\(position)]",
                    problem: "must be \"ip:port\" or \"[ipv6]:port\" with a port between 0 and 65535 "
                        + "(got \(JSONRendering.quoted(entry)))")
            }
            config.listenOn.append(address)
        }

        let endpoints = try root.object("restEndpoints")
        guard let endpoints else { throw root.error("restEndpoints", "is missing") }
        for host in endpoints.members.keys.sorted() {
            config.restEndpoints[host] = try endpoints.requiredString(host)
        }
        config.websiteEndpoints = try root.strings("websiteEndpoints") ?? []

        if let healthChecks = try root.object("healthChecks"),
            let texts = try healthChecks.strings("allowFrom")
        {
            var networks: [CIDR] = []
            for (position, text) in texts.enumerated() {
                guard let network = CIDR(text) else {
                    throw ConfigError(
                        file: file, key: "healthChecks.allowFrom[\(position)]",
                        problem: "is not an IP address or CIDR (got \(JSONRendering.quoted(text)))")
                }
                networks.append(network)
            }
            config.healthCheckAllowFrom = networks
        }

        if let log = try root.object("log"), let level = try log.string("logLevel") {
            guard LogLevelName.level(named: level) != nil else {
                throw log.error(
                    "logLevel", "must be one of \(LogLevelName.accepted) (got \(JSONRendering.quoted(level)))"
                )
            }
            config.logLevel = level
        }

        if let group = try root.string("replicationGroupId") {
            guard let padded = ReplicationGroup.normalize(group) else {
                throw root.error("replicationGroupId", ReplicationGroup.problem(group))
            }
            config.replicationGroupID = padded
        }

        if let paths = try root.object("certFilePaths") {
            config.certFilePaths = CertFilePaths(
                key: try paths.requiredString("key"), cert: try paths.requiredString("cert"),
                ca: try paths.string("ca"))
        }
        return config
    }
}

/// `replicationGroupId`: the 7-character field of version IDs.
///
/// The original's default is `RG001` (5 characters) and its version IDs pad the value with
/// spaces to 7. We accept 1 to 7 printable ASCII characters and pad them the same way, so a
/// file written for the original works unchanged; longer values are refused (the original
/// would silently truncate them and two groups could then collide).
enum ReplicationGroup {
    static let length = 7

    /// The value padded to 7 characters, nil when invalid.
    static func normalize(_ text: String) -> String? {
        guard (1...length).contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            return nil
        }
        return text + String(repeating: " ", count: length - text.utf8.count)
    }

    /// Why `text` was refused.
    static func problem(_ text: String) -> String {
        "must be 1 to 7 printable ASCII characters (got \(JSONRendering.quoted(text)))"
    }
}

/// Textual listen addresses: `listenOn` entries and LISTEN_ADDR.
enum ListenAddressText {
    /// `"127.0.0.1:8000"`, `"[::1]:8000"` → (IP literal without brackets, port); nil when the
    /// text is not an IP literal followed by a port in 0...65535.
    static func parseHostPort(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        let hostPart = String(text[..<colon])
        let portPart = text[text.index(after: colon)...]
        guard !portPart.isEmpty, portPart.count <= 5, portPart.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(portPart), port <= 65535
        else { return nil }
        // A bare IPv6 literal would make the port ambiguous: brackets are required.
        if hostPart.contains(":") && !hostPart.hasPrefix("[") { return nil }
        guard let host = parseHost(hostPart) else { return nil }
        return (host, port)
    }

    /// `"0.0.0.0"`, `"::"`, `"[::1]"` → the IP literal without brackets; nil otherwise.
    static func parseHost(_ text: String) -> String? {
        var host = Substring(text.trimmingSpaces)
        if host.hasPrefix("[") {
            guard host.hasSuffix("]") else { return nil }
            host = host.dropFirst().dropLast()
        }
        guard !host.contains("%"), CIDR.parseAddress(String(host)) != nil else { return nil }
        return String(host)
    }
}
