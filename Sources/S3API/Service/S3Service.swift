import Data
import HTTP
import Logging
import Metadata
import S3Auth

/// The API layer: everything an S3 request needs, shared by all worker threads.
package final class S3Service: Sendable {
    package let configuration: S3Configuration
    package let store: any MetadataStore
    package let gateway: LocationGateway
    package let authenticator: Authenticator
    package let router: S3Router
    package let locks = KeyLocks()
    /// Where new version IDs come from.
    package let versionIDs: VersionIDGenerator
    package let buckets: BucketCatalog
    package let logger: Logger
    /// Frees replaced remote versions in the background once `start()`ed.
    package let collector: DataCollector

    package init(
        configuration: S3Configuration, store: any MetadataStore, gateway: LocationGateway,
        authenticator: Authenticator, logger: Logger
    ) {
        self.configuration = configuration
        self.store = store
        self.buckets = BucketCatalog(store: store)
        self.versionIDs = VersionIDGenerator(
            replicationGroupID: configuration.replicationGroupID, encoding: configuration.versionIDEncoding)
        self.gateway = gateway
        self.authenticator = authenticator
        self.router = S3Router(
            endpoints: Array(configuration.restEndpoints.keys) + configuration.websiteEndpoints)
        self.logger = logger
        self.collector = DataCollector(store: store, gateway: gateway, logger: logger)
    }

    /// Routes, authenticates and runs one request; every failure is an `S3Error` value thrown.
    func serve(_ request: HTTPRequest, requestID: String, log: inout RequestLog) throws(S3Error)
        -> HTTPResponse
    {
        let query = try QueryParameters(raw: request.query)
        let host = request.headers["host"]
        let routed = try router.route(
            method: request.method, host: host, path: request.path, query: query,
            hasCopySource: request.headers[S3Header.copySource] != nil)
        log.bucket = routed.bucket
        log.operation = routed.operation.name
        log.metricsOperation = .s3(routed.operation.kind)
        let auth: AuthContext
        do {
            auth = try authenticator.authenticate(
                request, virtualHostBucket: router.virtualHostBucket(host: host))
        } catch {
            throw S3Error(error)
        }
        guard let account = auth.account else { throw S3Error.accessDenied }
        let context = RequestContext(
            service: self, request: request, requestID: requestID, bucketName: routed.bucket, query: query,
            auth: auth, account: account)
        return try context.perform(routed.operation, log: &log)
    }
}

/// What the access log line says of a request beyond what the HTTP server knows.
package struct RequestLog: Sendable {
    package var requestID: String
    package var bucket: String?
    package var key: String?
    package var operation: String?
    package var errorCode: String?
    /// The `operation` label of the request's metrics.
    package var metricsOperation: RequestMetrics.Operation = .unknown
}
