/// A configuration problem found at startup: which file (or `environment`, `command line`),
/// which key, and what is wrong.
///
/// `description` is one line meant for a person reading the terminal, e.g.
/// `config.json: port: must be an integer between 0 and 65535 (got "abc")`.
package struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the user knows it (`conf/config.json`, `/etc/s3/locationConfig.json`), or
    /// `environment` / `command line` for a variable or a flag.
    package var file: String
    /// The key inside the file (`restEndpoints.localhost`, `accounts[1].keys[0].access`) or the
    /// variable name; nil when the problem concerns the whole file.
    package var key: String?
    /// What is wrong, without the file or key.
    package var problem: String

    package init(file: String, key: String?, problem: String) {
        self.file = file
        self.key = key
        self.problem = problem
    }

    package var description: String {
        let text = key.map { "\(file): \($0): \(problem)" } ?? "\(file): \(problem)"
        // One line whatever the inputs contained.
        return String(text.map { $0.isNewline ? " " : $0 })
    }

    /// Source name used for environment variables.
    static let environment = "environment"
    /// Source name used for command-line flags.
    static let commandLine = "command line"
}
