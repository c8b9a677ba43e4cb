import Data

/// Reads `locationConfig.json`: an object of locations, each
/// `{"type": ..., "legacyAwsBehavior": bool, "details": {...}}` (docs section 2.7.1).
///
/// Only the types this server implements are accepted: `mem`, `file`, `aws_s3` and `azure`.
/// The details of `aws_s3` are resolved into the backend's configuration (`AWSLocation`:
/// endpoint parsed, credentials profile read), those of `azure` likewise (`AzureLocation`: the
/// environment overrides applied, endpoint parsed, key decoded). Other detail fields are passed
/// through untouched. Unknown top-level fields of a location (the original's `objectId`, `isTransient`, `sizeLimitGB`...) are ignored.
enum LocationConfig {
    /// Location types this server can serve.
    static let supportedTypes = ["mem", "file", "aws_s3", "azure"]

    /// The location every unknown endpoint falls back to; must exist.
    static let defaultLocation = "us-east-1"

    /// Validates `document` and returns its locations; `environment` supplies the
    /// `<location>_AZURE_STORAGE_*` overrides and where the AWS credentials file is (a relative
    /// path is taken from `workingDirectory`).
    static func parse(
        _ document: JSONValue, file: String, environment: [String: String], workingDirectory: String
    )
        throws(ConfigError) -> [String: LocationSpec]
    {
        let root = try ConfigObject(document, file: file, path: "")
        var locations: [String: LocationSpec] = [:]
        for name in root.members.keys.sorted() {
            let entry = try ConfigObject(root.members[name]!, file: file, path: name)
            let type = try entry.requiredString("type")
            guard supportedTypes.contains(type) else {
                throw entry.error(
                    "type",
                    "unknown location type \(JSONRendering.quoted(type)) (expected one of "
                        + supportedTypes.joined(separator: ", ") + ")")
            }
            let legacy = try entry.requiredBool("legacyAwsBehavior")
            var details = try ConfigObject(
                try entry.required("details"), file: file, path: entry.keyPath("details"))
            var aws: S3BackendConfiguration?
            var azure: AzureBackendConfiguration?
            switch type {
            case "aws_s3":
                aws = try AWSLocation.configuration(
                    name: name, details: details, environment: environment, workingDirectory: workingDirectory
                )
            case "azure":
                details = applyAzureOverrides(details, location: name, environment: environment)
                azure = try AzureLocation.configuration(name: name, details: details)
            default: break
            }
            locations[name] = LocationSpec(
                type: type, legacyAwsBehavior: legacy, details: details.members, awsS3: aws, azure: azure)
        }
        guard locations[defaultLocation] != nil else {
            throw ConfigError(
                file: file, key: defaultLocation,
                problem: "is missing (a location named us-east-1 is required)")
        }
        return locations
    }

    /// Replaces detail fields by `<location>_AZURE_STORAGE_*` variables when they are set.
    private static func applyAzureOverrides(
        _ details: ConfigObject, location: String, environment: [String: String]
    ) -> ConfigObject {
        var members = details.members
        for (field, suffix) in AzureLocation.variables {
            if let value = environment["\(location)_\(suffix)"], !value.isEmpty {
                members[field] = .string(value)
            }
        }
        return ConfigObject(unchecked: members, file: details.file, path: details.path)
    }
}

extension ConfigObject {
    /// Wraps members already known to form an object.
    init(unchecked members: [String: JSONValue], file: String, path: String) {
        self.file = file
        self.path = path
        self.members = members
    }
}
