import Logging

/// Wires configuration, stores, backends and the HTTP server together.
package enum CloudServer {
    /// Starts the server with `settings`, serves until SIGTERM/SIGINT, shuts down gracefully.
    /// Returns the process exit code. Throws when startup fails (bind, metadata open).
    package static func run(_ settings: Settings, logger: Logger) throws -> Int32 {
        logger.info("starting")
        return 0
    }
}
