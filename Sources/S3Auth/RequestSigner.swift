import Digest
import Foundation
import HTTP

/// Signs requests the way S3 clients do, for integration tests and tools: header-signed and
/// presigned SigV4, aws-chunked bodies, SigV2. The server's own outgoing requests use
/// `SigV4Signer`, which `signV4` wraps.
///
/// It shares the canonical forms with the verifiers, so a signature made here verifies there by
/// construction, and the AWS vectors in the tests pin both to AWS.
package enum RequestSigner {
    /// The headers to send with a SigV4 header-signed request: `headers` plus `x-amz-date`,
    /// `x-amz-content-sha256` and `Authorization`, every header signed.
    /// - Parameters:
    ///   - target: the request-target as it will be sent (path percent-encoded, then `?query`).
    ///   - headers: must include `Host`.
    ///   - payloadHash: hex SHA-256 of the body, `UNSIGNED-PAYLOAD`, or a `STREAMING-...` mode.
    package static func signV4(
        method: String, target: String, headers: HTTPHeaders, payloadHash: String = "UNSIGNED-PAYLOAD",
        accessKey: String, secret: String, region: String = "us-east-1", date: Date = Date()
    ) -> (headers: HTTPHeaders, signature: String) {
        SigV4Signer(accessKey: accessKey, secret: secret, region: region).sign(
            method: method, target: target, headers: headers, payloadHash: payloadHash, date: date)
    }

    /// A presigned SigV4 target (`path?...&X-Amz-Signature=...`) signing only `host`.
    package static func presignV4(
        method: String, target: String, host: String, accessKey: String, secret: String,
        region: String = "us-east-1", date: Date = Date(), expires: Int = 3600
    ) -> String {
        let amzDate = AmzDate(epochSeconds: Int64(date.timeIntervalSince1970)).iso8601Basic
        let day = Substring(amzDate.prefix(8))
        let scope = "\(day)/\(region)/s3/aws4_request"
        let (path, query) = split(target)
        var authQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256"
        authQuery += "&X-Amz-Credential=\(accessKey)%2F\(scope.replacingOccurrences(of: "/", with: "%2F"))"
        authQuery += "&X-Amz-Date=\(amzDate)&X-Amz-Expires=\(expires)&X-Amz-SignedHeaders=host"
        let fullQuery = query.isEmpty ? authQuery : query + "&" + authQuery
        let canonical = CanonicalRequest.build(
            method: method, path: path, query: QueryParameters(fullQuery),
            headers: HTTPHeaders([("Host", host)]), signedHeaders: "host", payloadHash: "UNSIGNED-PAYLOAD")
        let key = SigningKeyCache.derive(secret: secret, date: day, region: Substring(region), service: "s3")
        let signature = SigV4.sign(
            SigV4.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonical), key: key)
        return "\(path)?\(fullQuery)&X-Amz-Signature=\(signature)"
    }

    /// Frames `payload` as a signed aws-chunked body (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), chained
    /// from `seedSignature`, the signature of the request's headers made by `signV4`.
    package static func awsChunkedBody(
        _ payload: [UInt8], chunkSize: Int = 64 * 1024, seedSignature: String, secret: String,
        region: String = "us-east-1", date: Date
    ) -> [UInt8] {
        let amzDate = AmzDate(epochSeconds: Int64(date.timeIntervalSince1970)).iso8601Basic
        let day = Substring(amzDate.prefix(8))
        let signer = ChunkSigner(
            signingKey: SigningKeyCache.derive(
                secret: secret, date: day, region: Substring(region), service: "s3"),
            amzDate: amzDate, scope: "\(day)/\(region)/s3/aws4_request")
        var previous = seedSignature
        var out: [UInt8] = []
        var offset = 0
        repeat {
            let end = min(offset + chunkSize, payload.count)
            let chunk = payload[offset..<end]
            previous = signer.sign(signer.chunkStringToSign(previous: previous, dataHash: SHA256.hash(chunk)))
            out += Array("\(String(chunk.count, radix: 16));chunk-signature=\(previous)\r\n".utf8)
            out += chunk
            if !chunk.isEmpty { out += Array("\r\n".utf8) }
            offset = end
            if chunk.isEmpty { break }
        } while true
        out += Array("\r\n".utf8)
        return out
    }

    /// The SigV2 `Authorization` header value for a request; `virtualHostBucket` as for `Authenticator`.
    package static func signV2(
        method: String, target: String, headers: HTTPHeaders, virtualHostBucket: String? = nil,
        accessKey: String, secret: String
    ) -> String {
        let (path, query) = split(target)
        let date = headers["x-amz-date"] != nil ? "" : headers["date"] ?? ""
        let stringToSign = SigV2StringToSign.build(
            method: method, headers: headers, date: date, path: path, query: QueryParameters(query),
            virtualHostBucket: virtualHostBucket)
        return "AWS \(accessKey):" + Base64.encode(HMAC.sha1(key: secret.utf8, data: stringToSign.utf8))
    }

    private static func split(_ target: String) -> (String, String) { SigV4Signer.split(target) }
}
