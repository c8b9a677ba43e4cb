/// The AWS shared credentials file (`~/.aws/credentials`, or `$AWS_SHARED_CREDENTIALS_FILE`), as
/// the AWS CLI and SDKs read it: `[profile]` sections of `name = value` lines, `#` and `;`
/// comments, names case-insensitive.
///
/// ```ini
/// [zenko]
/// aws_access_key_id=WHDBFKILOSDDVF78NPMQ
/// aws_secret_access_key=87hdfGCvDS+YYzefKLnjjZEYstOIuIjs/2X72eET
/// ```
enum AWSCredentialsFile {
    /// The file's path for `environment`: `$AWS_SHARED_CREDENTIALS_FILE`, else
    /// `$HOME/.aws/credentials`.
    static func path(environment: [String: String]) -> String {
        if let path = environment["AWS_SHARED_CREDENTIALS_FILE"] { return path }
        return (environment["HOME"] ?? "/root") + "/.aws/credentials"
    }

    /// The settings of every profile, by profile name, names lower-cased.
    static func parse(_ text: String) -> [String: [String: String]] {
        var profiles: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            let line = String(rawLine).trimmingSpaces
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                var name = String(line.dropFirst().dropLast()).trimmingSpaces
                // ~/.aws/config spells sections `[profile name]`; accept it here too.
                if name.hasPrefix("profile ") { name = String(name.dropFirst(8)).trimmingSpaces }
                current = name
                profiles[name, default: [:]] = profiles[name] ?? [:]
                continue
            }
            guard let profile = current, let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq]).trimmingSpaces.lowercased()
            let value = String(line[line.index(after: eq)...]).trimmingSpaces
            profiles[profile, default: [:]][key] = value
        }
        return profiles
    }

    /// The access key and secret of `profile` in `file`.
    /// - Throws: `ConfigError` naming the file when it cannot be read; naming `locationFile` /
    ///   `key` (the location's `credentialsProfile`) when it lacks the profile or one of its
    ///   two keys.
    static func credentials(profile: String, file: ConfigFiles.Location, locationFile: String, key: String)
        throws(ConfigError) -> (accessKey: String, secretKey: String)
    {
        let path = file.display
        let bytes = try ConfigFiles.readBytes(file)
        guard let settings = parse(String(decoding: bytes, as: UTF8.self))[profile] else {
            throw ConfigError(
                file: locationFile, key: key,
                problem: "profile \(JSONRendering.quoted(profile)) is not in \(path)")
        }
        for name in ["aws_access_key_id", "aws_secret_access_key"] where (settings[name] ?? "").isEmpty {
            throw ConfigError(
                file: locationFile, key: key,
                problem: "profile \(JSONRendering.quoted(profile)) in \(path) has no \(name)")
        }
        return (settings["aws_access_key_id"]!, settings["aws_secret_access_key"]!)
    }
}
