import Foundation
import S3Auth

/// Everything the server needs to start, merged from flags > environment > files.
package struct Settings: Sendable {
    /// Addresses to listen on (`listenOn`, LISTEN_ADDR, `port`, --port).
    package var listen: [(host: String, port: Int)]
    /// Prometheus and /live /ready port (`metricsPort`, default 8002); 0 disables it.
    package var metricsPort: Int
    /// Host names served, each with its default location (`restEndpoints`, ENDPOINT).
    package var restEndpoints: [String: String]
    /// Website endpoints (`websiteEndpoints`).
    package var websiteEndpoints: [String]
    /// CIDRs allowed to read healthchecks (`healthChecks.allowFrom`, HEALTHCHECKS_ALLOWFROM).
    package var healthCheckAllowFrom: [CIDR]
    /// `info`, `debug` or `trace` (`log.logLevel`, LOG_LEVEL).
    package var logLevel: String
    /// 7 characters, part of every version ID (`replicationGroupId`, REPLICATION_GROUP_ID).
    package var replicationGroupID: String
    /// TLS files (`certFilePaths`), nil for plain HTTP.
    package var certFilePaths: CertFilePaths?
    /// Locations of `locationConfig.json`, validated.
    package var locations: [String: LocationSpec]
    /// `file` or `mem` (S3BACKEND).
    package var backend: String
    /// S3DATA=multiple: per-bucket / per-object placement.
    package var multipleBackends: Bool
    /// Object data directory (S3DATAPATH, default `./localData`).
    package var dataPath: String
    /// Metadata directory (S3METADATAPATH, default `./localMetadata`).
    package var metadataPath: String
    /// Access keys and their accounts (authdata.json, or SCALITY_ACCESS_KEY_ID + SECRET).
    package var credentials: [(accessKey: String, secret: String, account: Account)]
    /// Files the settings were read from, for the startup log line.
    package var sources: [String]
}

/// `certFilePaths` of config.json.
package struct CertFilePaths: Sendable, Equatable {
    package var key: String
    package var cert: String
    package var ca: String?
}

/// One location of `locationConfig.json`.
package struct LocationSpec: Sendable, Equatable {
    /// `mem`, `file`, `aws_s3` or `azure`.
    package var type: String
    package var legacyAwsBehavior: Bool
    /// The `details` object, as raw JSON values (strings, bools, numbers, nested objects).
    package var details: [String: JSONValue]
}

/// A JSON value of a configuration file.
package indirect enum JSONValue: Sendable, Equatable {
    case string(String), number(Double), bool(Bool), null
    case array([JSONValue]), object([String: JSONValue])
}

/// An IPv4 or IPv6 network, e.g. `127.0.0.1/8`, `::1`.
package struct CIDR: Sendable, Equatable {
    package var address: [UInt8]
    package var prefixLength: Int
}
