import Data
import HTTP

/// The `details` of an `aws_s3` location (docs 3.2.2, 5.1.1, 7.4.2), checked and resolved into
/// the backend's configuration:
///
/// | detail | meaning |
/// |---|---|
/// | `awsEndpoint` | `host`, `host:port`, or a URL `http(s)://host[:port]` (required) |
/// | `bucketName` | the remote bucket, which must exist (required) |
/// | `bucketMatch` | remote names `key` (true) or `localBucket/key` (false) (required) |
/// | `credentials` | `{accessKey, secretKey}`, or |
/// | `credentialsProfile` | a profile of `$AWS_SHARED_CREDENTIALS_FILE` / `~/.aws/credentials` |
/// | `https` | TLS to the endpoint; default true (a URL's scheme decides instead) |
/// | `pathStyle` | `endpoint/bucket/key` requests; default true for IP literals and `localhost` |
/// | `region` | the region requests are signed for; default `us-east-1` |
/// | `serverSideEncryption` | send `x-amz-server-side-encryption: AES256` |
enum AWSLocation {
    /// - Throws: `ConfigError` naming `file` and the detail at fault.
    static func configuration(
        name: String, details: ConfigObject, environment: [String: String], workingDirectory: String
    ) throws(ConfigError) -> S3BackendConfiguration {
        let endpointText = try details.requiredString("awsEndpoint")
        let bucket = try details.requiredString("bucketName")
        let bucketMatch = try details.requiredBool("bucketMatch")
        let region = try details.string("region") ?? "us-east-1"
        let httpsFlag = try details.bool("https")
        let pathStyleFlag = try details.bool("pathStyle")
        let sse = try details.bool("serverSideEncryption") ?? false
        _ = try details.bool("supportsVersioning")
        guard let parsed = parseEndpoint(endpointText) else {
            throw details.error(
                "awsEndpoint",
                "must be a host, host:port or http(s)://host[:port] (got \(JSONRendering.quoted(endpointText)))"
            )
        }
        if let scheme = parsed.tls, let httpsFlag, httpsFlag != scheme {
            throw details.error(
                "https", "contradicts the scheme of awsEndpoint \(JSONRendering.quoted(endpointText))")
        }
        let tls = parsed.tls ?? httpsFlag ?? true
        let endpoint = HTTPEndpoint(useTLS: tls, host: parsed.host, port: parsed.port)
        let pathStyle = pathStyleFlag ?? isAddressLike(parsed.host)
        let profile = try details.string("credentialsProfile")
        let keys: (accessKey: String, secretKey: String)
        if let credentials = try details.object("credentials") {
            if profile != nil {
                throw details.error(
                    "credentialsProfile", "must not be set with credentials (use only one of them)")
            }
            keys = (try credentials.requiredString("accessKey"), try credentials.requiredString("secretKey"))
        } else if let profile {
            let path = AWSCredentialsFile.path(environment: environment)
            keys = try AWSCredentialsFile.credentials(
                profile: profile,
                file: ConfigFiles.Location(display: path, path: ConfigFiles.absolute(path, workingDirectory)),
                locationFile: details.file, key: details.keyPath("credentialsProfile"))
        } else {
            throw details.error("credentialsProfile", "is missing (set credentialsProfile or credentials)")
        }
        return S3BackendConfiguration(
            locationName: name, endpoint: endpoint, bucketName: bucket, bucketMatch: bucketMatch,
            pathStyle: pathStyle, region: region, accessKey: keys.accessKey, secretKey: keys.secretKey,
            serverSideEncryption: sse)
    }

    /// `host`, `host:port`, `[v6]:port`, or a URL with `http`/`https` (then `tls` is set) and
    /// no path beyond `/`.
    static func parseEndpoint(_ text: String) -> (tls: Bool?, host: String, port: Int?)? {
        var rest = Substring(text)
        var tls: Bool?
        if rest.hasPrefix("https://") {
            tls = true
            rest = rest.dropFirst(8)
        } else if rest.hasPrefix("http://") {
            tls = false
            rest = rest.dropFirst(7)
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@"), !rest.contains(where: \.isWhitespace)
        else { return nil }
        var host = rest
        var port: Int?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let number = Int(after.dropFirst()) else { return nil }
                port = number
            }
        } else if let colon = rest.lastIndex(of: ":") {
            guard rest.firstIndex(of: ":") == colon, let number = Int(rest[rest.index(after: colon)...])
            else {
                return nil
            }
            host = rest[..<colon]
            port = number
        }
        if let port, !(1...65535).contains(port) { return nil }
        guard !host.isEmpty else { return nil }
        return (tls, String(host), port)
    }

    /// IP literals and `localhost` have no `bucket.` subdomains: virtual-hosted requests cannot
    /// reach them.
    static func isAddressLike(_ host: String) -> Bool {
        host == "localhost" || host.contains(":") || host.split(separator: ".").allSatisfy { Int($0) != nil }
    }
}
