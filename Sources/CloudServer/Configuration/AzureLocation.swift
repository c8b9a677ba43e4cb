import Data
import HTTP

/// The `details` of an `azure` location, with the `<location>_AZURE_STORAGE_*` environment
/// overrides applied, checked and resolved into the backend's configuration:
///
/// | detail | meaning |
/// |---|---|
/// | `azureStorageEndpoint` | `https://account.blob.core.windows.net`, or `http(s)://host[:port][/path]` (an emulator's `/account` path); `https` without a scheme (required) |
/// | `azureStorageAccountName` | the storage account, which signs requests (required) |
/// | `azureStorageAccessKey` | its access key, base64 (required) |
/// | `azureContainerName` | the container, which must exist (required) |
/// | `bucketMatch` | blob names `key` (true) or `localBucket/key` (false) (required) |
enum AzureLocation {
    /// Environment variable suffixes that override detail fields.
    static let variables = [
        "azureStorageAccountName": "AZURE_STORAGE_ACCOUNT_NAME",
        "azureStorageAccessKey": "AZURE_STORAGE_ACCESS_KEY",
        "azureStorageEndpoint": "AZURE_STORAGE_ENDPOINT",
    ]

    /// - Throws: `ConfigError` naming the detail at fault (and its variable, for a missing one).
    static func configuration(name: String, details: ConfigObject) throws(ConfigError)
        -> AzureBackendConfiguration
    {
        for field in [
            "azureStorageEndpoint", "azureStorageAccountName", "azureStorageAccessKey", "azureContainerName",
        ] where details.members[field] == nil {
            let hint = variables[field].map { " (set it here or in \(name)_\($0))" } ?? ""
            throw details.error(field, "is missing" + hint)
        }
        let endpointText = try details.requiredString("azureStorageEndpoint")
        let account = try details.requiredString("azureStorageAccountName")
        let keyText = try details.requiredString("azureStorageAccessKey")
        let container = try details.requiredString("azureContainerName")
        let bucketMatch = try details.requiredBool("bucketMatch")
        guard let (endpoint, basePath) = parseEndpoint(endpointText) else {
            throw details.error(
                "azureStorageEndpoint",
                "must be http(s)://host[:port][/path] or a host (got \(JSONRendering.quoted(endpointText)))")
        }
        guard let key = AzureBackendConfiguration.accountKey(base64: keyText) else {
            throw details.error("azureStorageAccessKey", "must be the account key in base64")
        }
        return AzureBackendConfiguration(
            locationName: name, endpoint: endpoint, basePath: basePath, accountName: account, accountKey: key,
            containerName: container, bucketMatch: bucketMatch)
    }

    /// The endpoint and the path it serves the account under (`""`, or `/devstoreaccount1`).
    static func parseEndpoint(_ text: String) -> (HTTPEndpoint, String)? {
        var rest = Substring(text)
        var scheme = "https://"
        if rest.hasPrefix("http://") {
            scheme = "http://"
            rest = rest.dropFirst(7)
        } else if rest.hasPrefix("https://") {
            rest = rest.dropFirst(8)
        }
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[slash...])
            rest = rest[..<slash]
            while path.hasSuffix("/") { path.removeLast() }
            guard !path.contains(where: { $0.isWhitespace || $0 == "?" || $0 == "#" }) else { return nil }
        }
        guard let parsed = AWSLocation.parseEndpoint(scheme + rest) else { return nil }
        return (HTTPEndpoint(useTLS: parsed.tls ?? true, host: parsed.host, port: parsed.port), path)
    }
}
