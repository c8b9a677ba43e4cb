import Digest
import HTTP

/// SigV2: `Authorization: AWS AKID:base64(HMAC-SHA1(secret, StringToSign))`, or the query
/// parameters `AWSAccessKeyId`, `Expires` and `Signature` (RESTAuthentication).
extension Authenticator {
    /// Verifies a header-signed SigV2 request.
    func verifySigV2Header(
        _ request: HTTPRequest, query: QueryParameters, authorization: String, virtualHostBucket: String?,
        now: Int64
    ) throws(AuthError) -> VerifiedRequest {
        let pair = authorization.dropFirst(4)
        guard let colon = pair.lastIndex(of: ":"), colon != pair.startIndex,
            pair.index(after: colon) != pair.endIndex
        else {
            throw .invalidArgument("AWS authorization header is invalid.  Expected AwsAccessKeyId:signature")
        }
        let accessKey = String(pair[..<colon])
        let signature = String(pair[pair.index(after: colon)...])

        let dateLine: String
        let sent: String
        let time: AmzDate
        if let x = request.headers["x-amz-date"] {
            guard let t = AmzDate(rfc1123: x) ?? AmzDate(iso8601Basic: x) else {
                throw .accessDenied(SigV4.missingDateMessage)
            }
            (dateLine, sent, time) = ("", x, t)
        } else if let d = request.headers["date"], let t = AmzDate(rfc1123: d) {
            (dateLine, sent, time) = (d, d, t)
        } else {
            throw .accessDenied(SigV4.missingDateMessage)
        }
        try checkSkew(time, sent: sent, now: now)
        return try verifySigV2(
            request, query: query, accessKey: accessKey, signature: signature, dateLine: dateLine,
            virtualHostBucket: virtualHostBucket)
    }

    /// Verifies a SigV2 presigned URL.
    func verifySigV2Query(
        _ request: HTTPRequest, query: QueryParameters, virtualHostBucket: String?, now: Int64
    ) throws(AuthError) -> VerifiedRequest {
        guard let accessKey = query.value("AWSAccessKeyId"), let expires = query.value("Expires"),
            let signature = query.value("Signature", plusAsSpace: false)
        else {
            throw .accessDenied(
                "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters")
        }
        guard let expiry = Int64(expires) else {
            throw .accessDenied("Invalid date (should be seconds since epoch): \(expires)")
        }
        if now > expiry { throw .accessDenied("Request has expired") }
        return try verifySigV2(
            request, query: query, accessKey: accessKey, signature: signature, dateLine: expires,
            virtualHostBucket: virtualHostBucket)
    }

    private func verifySigV2(
        _ request: HTTPRequest, query: QueryParameters, accessKey: String, signature: String,
        dateLine: String,
        virtualHostBucket: String?
    ) throws(AuthError) -> VerifiedRequest {
        guard let (secret, account) = credentials.lookup(accessKey: accessKey) else {
            throw .invalidAccessKeyId
        }
        let stringToSign = SigV2StringToSign.build(
            method: request.method, headers: request.headers, date: dateLine, path: request.path,
            query: query,
            virtualHostBucket: virtualHostBucket)
        let computed = Base64.encode(HMAC.sha1(key: secret.utf8, data: stringToSign.utf8))
        if !constantTimeEquals(computed, signature) {
            // botocore signs a path-style bucket request `/bucket` with the resource `/bucket/`;
            // S3 accepts both spellings of a bucket's resource.
            guard let slashed = Self.bucketPathWithSlash(request.path, virtualHostBucket: virtualHostBucket)
            else {
                throw .signatureDoesNotMatch(stringToSign: stringToSign, canonicalRequest: "")
            }
            let alternative = SigV2StringToSign.build(
                method: request.method, headers: request.headers, date: dateLine, path: slashed,
                query: query, virtualHostBucket: virtualHostBucket)
            let again = Base64.encode(HMAC.sha1(key: secret.utf8, data: alternative.utf8))
            guard constantTimeEquals(again, signature) else {
                throw .signatureDoesNotMatch(stringToSign: stringToSign, canonicalRequest: "")
            }
        }
        return VerifiedRequest(
            account: account, accessKey: accessKey, signatureVersion: 2, payload: .unsigned,
            chunkVerifier: nil)
    }

    /// `/bucket/` for a path-style request on a bucket (`/bucket`); nil for anything else.
    static func bucketPathWithSlash(_ path: String, virtualHostBucket: String?) -> String? {
        guard virtualHostBucket == nil, path.utf8.count > 1, path.utf8.first == UInt8(ascii: "/"),
            !path.utf8.dropFirst().contains(UInt8(ascii: "/"))
        else { return nil }
        return path + "/"
    }
}
