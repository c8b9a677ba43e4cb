/// The version of this server, printed by `cloudserver --version` and the startup log line.
package enum CloudServerVersion {
    package static let current = "0.1.0"
}
