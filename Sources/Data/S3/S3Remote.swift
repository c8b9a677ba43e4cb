import Digest
import HTTP
import S3Auth

/// The signed requests of one aws_s3 location to its remote bucket, and the translation of
/// what goes wrong into `DataError`.
struct S3Remote: Sendable {
    let configuration: S3BackendConfiguration
    let client: HTTPClient
    let signer: SigV4Signer
    /// Told when the remote could not be reached or stopped answering (not when it answered
    /// an error): the health cache then reports the location down without waiting for a probe.
    let unreachable: @Sendable (String) -> Void

    init(
        configuration: S3BackendConfiguration, http: HTTPClientConfiguration,
        unreachable: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.client = HTTPClient(configuration: http)
        self.signer = SigV4Signer(
            accessKey: configuration.accessKey, secret: configuration.secretKey, region: configuration.region)
        self.unreachable = unreachable
    }

    /// Sends `method` on `key` (nil: the bucket) with `query`, signed with SigV4. A body in
    /// memory is signed with its SHA-256; a streamed one is sent as `UNSIGNED-PAYLOAD` (its MD5
    /// is compared with the remote ETag by the caller instead).
    /// - Throws: `.source` / `.sizeMismatch` when a streamed body fails or has the wrong length,
    ///   `.unavailable` when the remote cannot be reached or stops answering.
    func send(
        _ method: String, key: String?, query: [(String, String?)] = [], headers: HTTPHeaders = HTTPHeaders(),
        body: HTTPClientRequest.Body = .empty
    ) throws(DataError) -> HTTPClientResponse {
        let endpoint = configuration.requestEndpoint
        var target = RemoteKeyNaming.path(
            bucket: configuration.bucketName, key: key, pathStyle: configuration.pathStyle)
        if !query.isEmpty { target += "?" + RemoteKeyNaming.query(query) }
        var unsigned = headers
        unsigned.set("Host", endpoint.hostHeader)
        let payloadHash: String
        switch body {
        case .empty: payloadHash = Self.emptySHA256
        case .bytes(let bytes): payloadHash = Hex.encode(SHA256.hash(bytes))
        case .stream: payloadHash = "UNSIGNED-PAYLOAD"
        }
        let signed = signer.sign(method: method, target: target, headers: unsigned, payloadHash: payloadHash)
        do {
            return try client.execute(
                HTTPClientRequest(
                    method: method, endpoint: endpoint, target: target, headers: signed.headers, body: body))
        } catch {
            throw translate(error)
        }
    }

    /// What a failure of the HTTP client means for the backend's caller.
    func translate(_ error: HTTPClientError) -> DataError {
        switch error {
        case .bodySource(let inner): .source(inner)
        case .bodyLength(let expected, let actual): .sizeMismatch(expected: expected, actual: actual)
        default: unavailable(error)
        }
    }

    private func unavailable(_ error: HTTPClientError) -> DataError {
        let detail = "data location \(configuration.locationName): \(error)"
        unreachable(detail)
        return .unavailable(detail)
    }

    /// The error of an answer that is not the expected success; its body (an S3 `<Error>`
    /// document, if any) is read and the connection released.
    func failure(_ response: HTTPClientResponse, _ operation: String) -> DataError {
        let body = (try? response.body.readAll(limit: 64 * 1024)) ?? []
        response.body.close()
        return .unavailable(
            "data location \(configuration.locationName): \(operation) answered "
                + RemoteError.describe(status: response.status, body: body))
    }

    /// The body of a small successful answer (an XML result), read whole.
    func document(_ response: HTTPClientResponse) throws(DataError) -> [UInt8] {
        do {
            return try response.body.readAll(limit: 1 << 20)
        } catch {
            response.body.close()
            throw .unavailable(
                "data location \(configuration.locationName): reading the answer failed: \(error)")
        }
    }

    static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
}

/// How an error answer of the remote reads in a log line and an S3 error message.
enum RemoteError {
    /// `403 AccessDenied: Access Denied`, or the bare status when the body says nothing (HEAD).
    static func describe(status: Int, body: [UInt8]) -> String {
        var text = "\(status)"
        if let code = XMLText.first("Code", in: body) { text += " \(code)" }
        if let message = XMLText.first("Message", in: body), !message.isEmpty { text += ": \(message)" }
        return text
    }

    /// An ETag without its quotes, lower-cased.
    static func unquoted(_ eTag: String?) -> String? {
        guard let eTag else { return nil }
        var tag = Substring(eTag)
        if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
        if tag.hasPrefix("\"") { tag = tag.dropFirst() }
        if tag.hasSuffix("\"") { tag = tag.dropLast() }
        return tag.lowercased()
    }
}

/// A remote response body passed to a reader: failures become `DataError.unavailable`, so the
/// S3 error of a broken read names the location instead of looking like a client's fault.
/// Forwarded (spliced) to the client's socket when both are plain TCP.
final class RemoteBodySource: SocketForwardingSource {
    private let body: ClientResponseBody
    private let locationName: String

    init(_ body: ClientResponseBody, locationName: String) {
        self.body = body
        self.locationName = locationName
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        do {
            return try body.read(into: buffer)
        } catch {
            throw unavailable(error)
        }
    }

    func forward(_ count: Int64, to transport: TCPTransport) throws -> Bool {
        do {
            return try body.forward(count, to: transport)
        } catch let error as HTTPClientError {
            throw unavailable(error)
        }
    }

    private func unavailable(_ error: any Error) -> DataError {
        .unavailable("data location \(locationName): reading data failed: \(error)")
    }
}
