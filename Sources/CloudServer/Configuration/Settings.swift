import Data
import Foundation
import Metadata
import S3API
import S3Auth

/// Everything the server needs to start, merged from flags > environment > files.
///
/// Built by `Settings.load(overrides:environment:workingDirectory:)` (Settings+Load.swift), or
/// directly with `init(...)` by tests that need no files.
package struct Settings: Sendable {
    /// Addresses to listen on (`listenOn`, LISTEN_ADDR, `port`, --port). Hosts are IP literals
    /// without brackets. The default is `[("::", port)]`: one dual-stack socket that also
    /// accepts IPv4 clients (seen as `::ffff:a.b.c.d`); `[("0.0.0.0", port)]` on a machine
    /// without IPv6.
    package var listen: [(host: String, port: Int)]
    /// Port of `/metrics`, `/live` and `/ready` (`--metrics-port`, `metricsPort`, default 8002); 0
    /// disables it.
    package var metricsPort: Int
    /// Host names served, each with its default location (`restEndpoints`, ENDPOINT). Every
    /// value names a key of `locations`.
    package var restEndpoints: [String: String]
    /// Website endpoints (`websiteEndpoints`).
    package var websiteEndpoints: [String]
    /// CIDRs allowed to read healthchecks (`healthChecks.allowFrom`, HEALTHCHECKS_ALLOWFROM).
    /// Default: `127.0.0.1/8` and `::1`.
    package var healthCheckAllowFrom: [CIDR]
    /// `info`, `debug` or `trace` (`log.logLevel`, LOG_LEVEL, --log-level); `warn`, `error`
    /// and `fatal` are accepted too. Default: `info`. See `LogLevelName`.
    package var logLevel: String
    /// 7 characters, part of every version ID (`replicationGroupId`, REPLICATION_GROUP_ID).
    /// Shorter values are padded with spaces on the right, as the original pads them:
    /// the default `RG001` becomes `"RG001  "`.
    package var replicationGroupID: String
    /// The form of new version IDs (S3_VERSION_ID_ENCODING_TYPE: `hex`, the default, 56
    /// characters, or `base62`, 32 characters). Either form is accepted in requests.
    package var versionIDEncoding: VersionID.Encoding = .hex
    /// TLS files (`certFilePaths`), nil for plain HTTP. Paths are absolute and were readable
    /// at load time.
    package var certFilePaths: CertFilePaths?
    /// config.json as errors name it, for problems found after loading (the contents of the
    /// certificate files, read when the server starts and on SIGHUP).
    package var configFile = "config.json"
    /// Locations of `locationConfig.json`, validated; `us-east-1` is always present.
    package var locations: [String: LocationSpec]
    /// `file` or `mem` (S3BACKEND, --backend). Default: `file`.
    package var backend: String
    /// S3DATA=multiple: per-bucket / per-object placement.
    package var multipleBackends: Bool
    /// Object data directory, absolute (--data-path, S3DATAPATH, default `<cwd>/localData`).
    package var dataPath: String
    /// Metadata directory, absolute (--metadata-path, S3METADATAPATH, default
    /// `<cwd>/localMetadata`).
    package var metadataPath: String
    /// Access keys and their accounts (authdata.json, or SCALITY_ACCESS_KEY_ID + SECRET).
    package var credentials: [(accessKey: String, secret: String, account: Account)]
    /// Files the settings were read from, for the startup log line.
    package var sources: [String]

    /// Settings with every default filled in, for tests and embedding. No file is read.
    package init(
        listen: [(host: String, port: Int)] = [(host: "::", port: 8000)],
        metricsPort: Int = 8002,
        restEndpoints: [String: String] = ["localhost": "us-east-1", "127.0.0.1": "us-east-1"],
        websiteEndpoints: [String] = [],
        healthCheckAllowFrom: [CIDR] = Settings.defaultHealthCheckAllowFrom,
        logLevel: String = "info",
        replicationGroupID: String = Settings.defaultReplicationGroupID,
        certFilePaths: CertFilePaths? = nil,
        locations: [String: LocationSpec] = [
            "us-east-1": LocationSpec(type: "file", legacyAwsBehavior: true, details: [:])
        ],
        backend: String = "file",
        multipleBackends: Bool = false,
        dataPath: String = "./localData",
        metadataPath: String = "./localMetadata",
        credentials: [(accessKey: String, secret: String, account: Account)] = [],
        sources: [String] = []
    ) {
        self.listen = listen
        self.metricsPort = metricsPort
        self.restEndpoints = restEndpoints
        self.websiteEndpoints = websiteEndpoints
        self.healthCheckAllowFrom = healthCheckAllowFrom
        self.logLevel = logLevel
        self.replicationGroupID = replicationGroupID
        self.certFilePaths = certFilePaths
        self.locations = locations
        self.backend = backend
        self.multipleBackends = multipleBackends
        self.dataPath = dataPath
        self.metadataPath = metadataPath
        self.credentials = credentials
        self.sources = sources
    }

    /// `127.0.0.1/8` and `::1`, as in the original.
    package static let defaultHealthCheckAllowFrom: [CIDR] = [
        CIDR(address: [127, 0, 0, 0], prefixLength: 8),
        CIDR(address: Array(repeating: 0, count: 15) + [1], prefixLength: 128),
    ]

    /// `RG001` padded to 7 characters.
    package static let defaultReplicationGroupID = "RG001  "
}

/// `certFilePaths` of config.json.
package struct CertFilePaths: Sendable, Equatable {
    /// Private key (PEM).
    package var key: String
    /// Certificate chain (PEM).
    package var cert: String
    /// CA bundle (PEM), optional.
    package var ca: String?

    package init(key: String, cert: String, ca: String? = nil) {
        self.key = key
        self.cert = cert
        self.ca = ca
    }
}

/// One location of `locationConfig.json`.
package struct LocationSpec: Sendable, Equatable {
    /// `mem`, `file`, `aws_s3` or `azure`.
    package var type: String
    /// True when the location behaves like AWS's `us-east-1` (no LocationConstraint echoed).
    package var legacyAwsBehavior: Bool
    /// The `details` object, as raw JSON values (strings, bools, numbers, nested objects).
    /// For `azure`, the `<location>_AZURE_STORAGE_*` environment overrides are already applied.
    package var details: [String: JSONValue]
    /// For `aws_s3`: the details resolved (endpoint parsed, credentials read).
    package var awsS3: S3BackendConfiguration?
    /// For `azure`: the details resolved (overrides applied, endpoint parsed, key decoded).
    package var azure: AzureBackendConfiguration?

    package init(
        type: String, legacyAwsBehavior: Bool, details: [String: JSONValue] = [:],
        awsS3: S3BackendConfiguration? = nil, azure: AzureBackendConfiguration? = nil
    ) {
        self.type = type
        self.legacyAwsBehavior = legacyAwsBehavior
        self.details = details
        self.awsS3 = awsS3
        self.azure = azure
    }
}

/// A JSON value of a configuration file.
package indirect enum JSONValue: Sendable, Equatable {
    case string(String), number(Double), bool(Bool), null
    case array([JSONValue]), object([String: JSONValue])
}

/// An IPv4 or IPv6 network, e.g. `127.0.0.1/8`, `::1`. Parsing and matching: CIDR.swift.
package struct CIDR: Sendable, Equatable {
    /// 4 bytes (IPv4) or 16 bytes (IPv6), host bits cleared.
    package var address: [UInt8]
    /// Leading bits that must match, 0...32 or 0...128.
    package var prefixLength: Int

    /// Builds a network from its address bytes; bits past `prefixLength` are cleared.
    package init(address: [UInt8], prefixLength: Int) {
        precondition(address.count == 4 || address.count == 16, "an IP address has 4 or 16 bytes")
        precondition((0...address.count * 8).contains(prefixLength), "prefix longer than the address")
        self.address = CIDR.masked(address, prefixLength)
        self.prefixLength = prefixLength
    }
}
