import Digest
import HTTP

/// The settings of one `azure` location (`locationConfig.json` details, with the
/// `<location>_AZURE_STORAGE_*` environment overrides applied), resolved: endpoint parsed, key
/// decoded.
package struct AzureBackendConfiguration: Sendable, Equatable {
    /// The location's name in `locationConfig.json`.
    package var locationName: String
    /// The Blob service endpoint (`azureStorageEndpoint`): `https://account.blob.core.windows.net`.
    package var endpoint: HTTPEndpoint
    /// A path the endpoint serves the account under (`/devstoreaccount1` for emulators that take
    /// the account from the path); empty for Azure itself.
    package var basePath: String
    /// `azureStorageAccountName`: signs every request (SharedKey).
    package var accountName: String
    /// `azureStorageAccessKey`, base64-decoded: the HMAC-SHA256 key.
    package var accountKey: [UInt8]
    /// `azureContainerName`: the container, which must exist.
    package var containerName: String
    /// `true`: blob names are the local keys; `false`: `localBucket/key`.
    package var bucketMatch: Bool
    /// Objects of at most this many bytes are written with one Put Blob; larger ones, and those
    /// of unknown length, as blocks. Default: 64 MiB (Put Blob takes up to 5000 MiB since
    /// 2019-12-12, but one request then carries the whole object).
    package var singlePutLimit: Int64 = 64 << 20
    /// Bytes of one block of a large object. Default: 8 MiB (a body of unknown length is held
    /// in memory one block at a time, to send its Content-Length and Content-MD5).
    package var blockSize = 8 << 20
    /// Timeouts and pooling of the connections to the service.
    package var http: HTTPClientConfiguration

    package init(
        locationName: String, endpoint: HTTPEndpoint, basePath: String = "", accountName: String,
        accountKey: [UInt8], containerName: String, bucketMatch: Bool,
        http: HTTPClientConfiguration = HTTPClientConfiguration()
    ) {
        self.locationName = locationName
        self.endpoint = endpoint
        self.basePath = basePath
        self.accountName = accountName
        self.accountKey = accountKey
        self.containerName = containerName
        self.bucketMatch = bucketMatch
        self.http = http
    }

    /// The key of a base64 `azureStorageAccessKey`; nil when it is not base64 or empty.
    package static func accountKey(base64 text: String) -> [UInt8]? {
        guard let key = Base64.decode(text), !key.isEmpty else { return nil }
        return key
    }
}
