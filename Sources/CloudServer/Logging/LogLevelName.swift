import Logging

/// Log level names of the configuration (`log.logLevel`, LOG_LEVEL, --log-level) and of the
/// `level` field of log lines.
///
/// The documented names are `info`, `debug` and `trace`; the original's logger also knows
/// `warn`, `error` and `fatal`, which are accepted so that its files keep working.
package enum LogLevelName {
    /// Accepted names, for error messages.
    static let accepted = "info, debug, trace, warn, error, fatal"

    /// The swift-log level for a configuration name, nil when unknown.
    package static func level(named name: String) -> Logger.Level? {
        switch name {
        case "trace": .trace
        case "debug": .debug
        case "info": .info
        case "warn": .warning
        case "error": .error
        case "fatal": .critical
        default: nil
        }
    }

    /// The name written in the `level` field of a JSON log line.
    static func name(of level: Logger.Level) -> String {
        switch level {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warn"
        case .error: "error"
        case .critical: "fatal"
        }
    }
}
