import Foundation
import HTTP

/// Signs outgoing requests with SigV4 in the `Authorization` header, as the AWS SDKs do: the
/// aws_s3 data backend signs every request it sends to its remote with one of these.
///
/// Every header given is signed (the caller passes only headers it sends verbatim: `Host`,
/// content headers, `x-amz-*`); `x-amz-date` and `x-amz-content-sha256` are added. Signing keys
/// are derived once per day and region (four HMACs), then cached. The canonical forms are the
/// ones the verifiers use, so what is signed here verifies there, and the AWS test vectors pin
/// both to AWS.
package struct SigV4Signer: Sendable {
    package let accessKey: String
    private let secret: String
    package let region: String
    package let service: String
    private let keys = SigningKeyCache()

    package init(accessKey: String, secret: String, region: String = "us-east-1", service: String = "s3") {
        self.accessKey = accessKey
        self.secret = secret
        self.region = region
        self.service = service
    }

    /// `headers` plus `x-amz-date`, `x-amz-content-sha256` and `Authorization`, and the
    /// signature (the seed of an aws-chunked body).
    /// - Parameters:
    ///   - target: the request-target as it will be sent (path percent-encoded, then `?query`).
    ///   - headers: must include `Host`.
    ///   - payloadHash: hex SHA-256 of the body, `UNSIGNED-PAYLOAD`, or a `STREAMING-...` mode.
    package func sign(
        method: String, target: String, headers: HTTPHeaders, payloadHash: String = "UNSIGNED-PAYLOAD",
        date: Date = Date()
    ) -> (headers: HTTPHeaders, signature: String) {
        let amzDate = AmzDate(epochSeconds: Int64(date.timeIntervalSince1970)).iso8601Basic
        var signed = headers
        signed.set("x-amz-date", amzDate)
        signed.set("x-amz-content-sha256", payloadHash)
        signed.remove("authorization")
        let names = Set(signed.fields.map { $0.name.lowercased() }).sorted()
        let signedHeaders = names.joined(separator: ";")
        let (path, query) = Self.split(target)
        let canonical = CanonicalRequest.build(
            method: method, path: path, query: QueryParameters(query), headers: signed,
            signedHeaders: Substring(signedHeaders), payloadHash: payloadHash)
        let day = Substring(amzDate.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let key = keys.signingKey(
            secret: secret, scope: scope, date: day, region: Substring(region), service: Substring(service))
        let signature = SigV4.sign(
            SigV4.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonical), key: key)
        signed.set(
            "Authorization",
            "\(SigV4.algorithm) Credential=\(accessKey)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        )
        return (signed, signature)
    }

    /// The path and the raw query of a request-target.
    static func split(_ target: String) -> (String, String) {
        guard let q = target.firstIndex(of: "?") else { return (target, "") }
        return (String(target[..<q]), String(target[target.index(after: q)...]))
    }
}
