import Glibc

/// Finding and reading the configuration files.
enum ConfigFiles {
    /// A file to read: `display` is how errors name it, `path` is absolute.
    struct Location {
        var display: String
        var path: String
    }

    /// Where `fileName` is: the flag's value, else the variable's, else the first of
    /// `conf/<fileName>` and `<fileName>` that exists under `workingDirectory`.
    static func locate(
        fileName: String, flag: String?, variable: String, environment: [String: String],
        workingDirectory: String
    ) throws(ConfigError) -> Location {
        if let given = flag ?? environment[variable] {
            return Location(display: given, path: absolute(given, workingDirectory))
        }
        for candidate in ["conf/\(fileName)", fileName] {
            let path = absolute(candidate, workingDirectory)
            if access(path, F_OK) == 0 { return Location(display: candidate, path: path) }
        }
        throw ConfigError(
            file: fileName, key: nil,
            problem: "not found (looked for conf/\(fileName) and \(fileName) in \(workingDirectory); "
                + "set \(variable) to its path)")
    }

    /// Reads and parses the JSON file at `location`.
    static func readJSON(_ location: Location) throws(ConfigError) -> JSONValue {
        let bytes = try readBytes(location)
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw ConfigError(
                file: location.display, key: nil,
                problem: "invalid JSON at line \(error.line), column \(error.column): \(error.problem)")
        }
    }

    /// The whole content of the file; errors carry `strerror` text.
    static func readBytes(_ location: Location) throws(ConfigError) -> [UInt8] {
        let fd = open(location.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw unreadable(location, errno) }
        defer { close(fd) }
        var content: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return content }
            if count < 0 {
                if errno == EINTR { continue }
                throw unreadable(location, errno)
            }
            content.append(contentsOf: chunk[0..<count])
        }
    }

    /// `path` made absolute against `workingDirectory` (no symlink resolution).
    static func absolute(_ path: String, _ workingDirectory: String) -> String {
        if path.hasPrefix("/") { return path }
        var base = workingDirectory
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        var relative = Substring(path)
        while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
        if relative.isEmpty || relative == "." { return base }
        return base == "/" ? "/\(relative)" : "\(base)/\(relative)"
    }

    /// A "cannot read" error for `location`.
    static func unreadable(_ location: Location, _ code: Int32) -> ConfigError {
        ConfigError(
            file: location.display, key: nil, problem: "cannot read \(location.path): \(errorText(code))")
    }

    /// The text of an errno value.
    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }
}
