import Digest
import HTTP

#if canImport(Glibc)
    import Glibc
#endif

/// The signed requests of one azure location to its container, and the translation of what
/// goes wrong into `DataError`.
struct AzureRemote: Sendable {
    let configuration: AzureBackendConfiguration
    let client: HTTPClient
    let signer: SharedKeySigner
    /// Told when the service could not be reached or stopped answering (not when it answered
    /// an error): the health cache then reports the location down without waiting for a probe.
    let unreachable: @Sendable (String) -> Void

    /// The REST API version requests ask for: blob versioning (`x-ms-version-id`), Put Blob up
    /// to 5000 MiB, `x-ms-content-crc64`.
    static let apiVersion = "2021-08-06"

    init(
        configuration: AzureBackendConfiguration, http: HTTPClientConfiguration,
        unreachable: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.client = HTTPClient(configuration: http)
        self.signer = SharedKeySigner(accountName: configuration.accountName, key: configuration.accountKey)
        self.unreachable = unreachable
    }

    /// The request path of `blob` (nil: the container), percent-encoded as the SDKs encode blob
    /// names (every byte but `A-Z a-z 0-9 - . _ ~` and `/`).
    func path(blob: String?) -> String {
        var out = configuration.basePath + "/" + RemoteKeyNaming.escape(configuration.containerName)
        if let blob { out += "/" + RemoteKeyNaming.escape(blob) }
        return out
    }

    /// Sends `method` on `blob` (nil: the container) with `query` (decoded values), signed
    /// with SharedKey.
    /// - Throws: `.source` / `.sizeMismatch` when a streamed body fails or has the wrong length,
    ///   `.unavailable` when the service cannot be reached or stops answering.
    func send(
        _ method: String, blob: String?, query: [(String, String)] = [], headers: HTTPHeaders = HTTPHeaders(),
        body: HTTPClientRequest.Body = .empty
    ) throws(DataError) -> HTTPClientResponse {
        let path = path(blob: blob)
        var target = path
        if !query.isEmpty { target += "?" + RemoteKeyNaming.query(query.map { ($0.0, $0.1) }) }
        var unsigned = headers
        unsigned.set("Host", configuration.endpoint.hostHeader)
        unsigned.set("x-ms-date", Self.rfc1123Now())
        unsigned.set("x-ms-version", Self.apiVersion)
        switch body {
        case .empty:
            // Sent as `Content-Length: 0` by the client for these methods; signed as empty.
            break
        case .bytes(let bytes): unsigned.set("Content-Length", "\(bytes.count)")
        case .stream(_, let length): unsigned.set("Content-Length", "\(length)")
        }
        var signed = signer.sign(method: method, path: path, query: query, headers: unsigned)
        signed.remove("Content-Length")
        do {
            return try client.execute(
                HTTPClientRequest(
                    method: method, endpoint: configuration.endpoint, target: target, headers: signed,
                    body: body))
        } catch {
            throw translate(error)
        }
    }

    /// What a failure of the HTTP client means for the backend's caller.
    func translate(_ error: HTTPClientError) -> DataError {
        switch error {
        case .bodySource(let inner): return .source(inner)
        case .bodyLength(let expected, let actual): return .sizeMismatch(expected: expected, actual: actual)
        default:
            let detail = "data location \(configuration.locationName): \(error)"
            unreachable(detail)
            return .unavailable(detail)
        }
    }

    /// The error of an answer that is not the expected success: the service's `<Error>`
    /// document (or `x-ms-error-code`, for HEAD) is read and the connection released.
    func failure(_ response: HTTPClientResponse, _ operation: String) -> DataError {
        let body = (try? response.body.readAll(limit: 64 * 1024)) ?? []
        response.body.close()
        var text = RemoteError.describe(status: response.status, body: body)
        if XMLText.first("Code", in: body) == nil, let code = response.headers["x-ms-error-code"] {
            text += " " + code
        }
        return .unavailable("data location \(configuration.locationName): \(operation) answered " + text)
    }

    /// A mismatch between the bytes sent and what the service says it received.
    func corrupted(_ operation: String, sent: String, stored: String) -> DataError {
        .unavailable(
            "data location \(configuration.locationName): \(operation) stored bytes whose MD5 \(stored) differs from the MD5 \(sent) sent"
        )
    }

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// `x-ms-date`: the time now, `Wed, 02 Dec 2026 09:49:26 GMT`.
    static func rfc1123Now() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func pad(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return
            "\(days[Int(parts.tm_wday)]), \(pad(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(1900 + parts.tm_year) \(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec)) GMT"
    }
}
