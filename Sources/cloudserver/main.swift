import ArgumentParser
import CloudServer
import Foundation
import Logging

/// `cloudserver`: parses the flags, loads the configuration, installs JSON logging and runs
/// the server. Every startup failure is one line on standard error and exit status 1.
struct CloudServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloudserver",
        abstract: "An S3-compatible object storage server.",
        discussion: """
            Settings come from flags, then environment variables (S3BACKEND, S3DATAPATH, \
            S3METADATAPATH, S3DATA, ENDPOINT, LISTEN_ADDR, LOG_LEVEL, HEALTHCHECKS_ALLOWFROM, \
            REPLICATION_GROUP_ID, SCALITY_ACCESS_KEY_ID, SCALITY_SECRET_ACCESS_KEY, S3_CONFIG_FILE, \
            S3_LOCATION_FILE, S3AUTH_CONFIG, S3_VERSION_ID_ENCODING_TYPE, S3_MEM_CAPACITY_MB), then \
            config.json, locationConfig.json and conf/authdata.json.
            """,
        version: CloudServerVersion.current)

    @Option(help: "Port to listen on (default: config.json's port, else 8000).")
    var port: Int?

    @Option(
        name: .customLong("metrics-port"),
        help: ArgumentHelp(
            "Port of /metrics, /live and /ready; 0 turns it off (default: config.json's metricsPort, else 8002).",
            valueName: "port"))
    var metricsPort: Int?

    @Option(
        name: .customLong("listen-addr"),
        help: ArgumentHelp(
            "IP address to listen on (default: LISTEN_ADDR, else config.json's listenOn, else all addresses).",
            valueName: "addr"))
    var listenAddress: String?

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "Path of config.json (default: S3_CONFIG_FILE, else conf/config.json, else ./config.json).",
            valueName: "file"))
    var configFile: String?

    @Option(
        name: .customLong("location-config"),
        help: ArgumentHelp(
            "Path of locationConfig.json (default: S3_LOCATION_FILE, else conf/locationConfig.json, "
                + "else ./locationConfig.json).", valueName: "file"))
    var locationConfigFile: String?

    @Option(
        name: .customLong("auth-config"),
        help: ArgumentHelp(
            "Path of authdata.json (default: S3AUTH_CONFIG, else conf/authdata.json).", valueName: "file"))
    var authConfigFile: String?

    @Option(
        name: .customLong("data-path"),
        help: ArgumentHelp("Object data directory (default: S3DATAPATH, else ./localData).", valueName: "dir")
    )
    var dataPath: String?

    @Option(
        name: .customLong("metadata-path"),
        help: ArgumentHelp(
            "Metadata directory (default: S3METADATAPATH, else ./localMetadata).", valueName: "dir"))
    var metadataPath: String?

    @Option(
        help: ArgumentHelp(
            "Storage backend, file or mem (default: S3BACKEND, else file).", valueName: "backend"))
    var backend: String?

    @Option(
        name: .customLong("log-level"),
        help: ArgumentHelp(
            "Log level, info, debug or trace (default: LOG_LEVEL, else config.json's log.logLevel, else info).",
            valueName: "level"))
    var logLevel: String?

    func run() throws {
        let overrides = CommandLineOverrides(
            port: port, metricsPort: metricsPort, listenAddress: listenAddress, configFile: configFile,
            locationConfigFile: locationConfigFile,
            authConfigFile: authConfigFile, dataPath: dataPath, metadataPath: metadataPath, backend: backend,
            logLevel: logLevel)
        let settings: Settings
        do {
            settings = try Settings.load(
                overrides: overrides, environment: ProcessInfo.processInfo.environment,
                workingDirectory: FileManager.default.currentDirectoryPath)
        } catch {
            failStartup(error.description)
        }

        let level = LogLevelName.level(named: settings.logLevel) ?? .info
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        let logger = Logger(label: "cloudserver")

        let status: Int32
        do {
            status = try CloudServer.run(settings, logger: logger)
        } catch let error as ConfigError {
            failStartup(error.description)
        } catch {
            failStartup("cloudserver: startup failed: \(error)")
        }
        if status != 0 { throw ExitCode(status) }
    }
}

/// Prints `message` as one line on standard error and exits with status 1.
func failStartup(_ message: String) -> Never {
    let line = String(message.map { $0.isNewline ? " " : $0 }) + "\n"
    FileHandle.standardError.write(Data(line.utf8))
    exit(1)
}

CloudServerCommand.main()
