import HTTP

/// The settings of one `aws_s3` location (`locationConfig.json` details, docs 3.2.2), resolved:
/// credentials read, endpoint parsed.
package struct S3BackendConfiguration: Sendable, Equatable {
    /// The location's name in `locationConfig.json`.
    package var locationName: String
    /// The service endpoint (`awsEndpoint`, with `https`).
    package var endpoint: HTTPEndpoint
    /// The remote bucket (`bucketName`): must exist; versioning enabled, as the manual asks.
    package var bucketName: String
    /// `true`: remote object names are the local keys; `false`: `localBucket/key`.
    package var bucketMatch: Bool
    /// Path-style requests (`endpoint/bucket/key`) instead of virtual-hosted ones
    /// (`bucket.endpoint/key`).
    package var pathStyle: Bool
    /// The region requests are signed for. Default: `us-east-1`.
    package var region: String
    package var accessKey: String
    package var secretKey: String
    /// Send `x-amz-server-side-encryption: AES256` with every write (docs 7.4.2).
    package var serverSideEncryption: Bool
    /// Timeouts and pooling of the connections to the remote.
    package var http: HTTPClientConfiguration

    package init(
        locationName: String, endpoint: HTTPEndpoint, bucketName: String, bucketMatch: Bool, pathStyle: Bool,
        region: String = "us-east-1", accessKey: String, secretKey: String,
        serverSideEncryption: Bool = false,
        http: HTTPClientConfiguration = HTTPClientConfiguration()
    ) {
        self.locationName = locationName
        self.endpoint = endpoint
        self.bucketName = bucketName
        self.bucketMatch = bucketMatch
        self.pathStyle = pathStyle
        self.region = region
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.serverSideEncryption = serverSideEncryption
        self.http = http
    }

    /// Where requests go: the endpoint itself (path style) or `bucket.endpoint`.
    var requestEndpoint: HTTPEndpoint {
        pathStyle
            ? endpoint
            : HTTPEndpoint(
                useTLS: endpoint.useTLS, host: "\(bucketName).\(endpoint.host)", port: endpoint.port)
    }
}
