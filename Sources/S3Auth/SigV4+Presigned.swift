import Digest
import HTTP

/// SigV4 in the query string (sigv4-query-string-auth): presigned URLs.
///
/// `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`
/// and `X-Amz-Signature`; the canonical query is every parameter but the signature, and the
/// payload is `UNSIGNED-PAYLOAD` unless `X-Amz-Content-Sha256` says otherwise.
extension Authenticator {
    /// Longest validity of a presigned URL: one week.
    static let maxPresignedExpiry = 604_800

    func verifySigV4Query(_ request: HTTPRequest, query: QueryParameters, now: Int64) throws(AuthError)
        -> VerifiedRequest
    {
        guard let algorithm = query.value("X-Amz-Algorithm"),
            let credentialText = query.value("X-Amz-Credential"),
            let dateText = query.value("X-Amz-Date"), let expiresText = query.value("X-Amz-Expires"),
            let signedHeaders = query.value("X-Amz-SignedHeaders"),
            let signature = query.value("X-Amz-Signature")
        else {
            throw .authorizationQueryParametersError(
                "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                    + "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
        }
        guard algorithm == SigV4.algorithm else {
            throw .authorizationQueryParametersError("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
        }
        let credential: CredentialScope
        switch CredentialScope.parse(Substring(credentialText)) {
        case .success(let c): credential = c
        case .failure(let e):
            throw .authorizationQueryParametersError(
                "Error parsing the X-Amz-Credential parameter; " + e.message)
        }
        guard let time = AmzDate(iso8601Basic: dateText) else {
            throw .authorizationQueryParametersError(
                "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
        }
        guard let expires = Int(expiresText) else {
            throw .authorizationQueryParametersError("X-Amz-Expires should be a number")
        }
        guard expires > 0 else {
            throw .authorizationQueryParametersError("X-Amz-Expires must be non-negative")
        }
        guard expires <= Self.maxPresignedExpiry else {
            throw .authorizationQueryParametersError(
                "X-Amz-Expires must be less than a week (in seconds) that is 604800")
        }
        guard dateText.utf8.prefix(8).elementsEqual(credential.date.utf8) else {
            throw .authorizationQueryParametersError(
                "Invalid credential date \"\(credential.date)\". This date is not the same as X-Amz-Date: "
                    + "\"\(dateText.prefix(8))\".")
        }
        if time.epochSeconds - now > Self.maxClockSkew { throw .accessDenied("Request is not yet valid") }
        if now > time.epochSeconds + Int64(expires) { throw .accessDenied("Request has expired") }

        guard let (secret, account) = credentials.lookup(accessKey: String(credential.accessKey)) else {
            throw .invalidAccessKeyId
        }
        let payloadHash = query.value("X-Amz-Content-Sha256") ?? "UNSIGNED-PAYLOAD"
        let payload = PayloadMode(payloadHash) ?? .unsigned
        let canonicalRequest = CanonicalRequest.build(
            method: request.method, path: request.path, query: query, excludingQuery: "X-Amz-Signature",
            headers: request.headers, signedHeaders: Substring(signedHeaders), payloadHash: payloadHash)
        let scope = String(credential.scope)
        let stringToSign = SigV4.stringToSign(
            amzDate: dateText, scope: scope, canonicalRequest: canonicalRequest)
        let key = keyCache.signingKey(
            secret: secret, scope: scope, date: credential.date, region: credential.region,
            service: credential.service)
        guard constantTimeEquals(SigV4.sign(stringToSign, key: key), signature) else {
            throw .signatureDoesNotMatch(stringToSign: stringToSign, canonicalRequest: canonicalRequest)
        }
        return VerifiedRequest(
            account: account, accessKey: String(credential.accessKey), signatureVersion: 4,
            payload: payload.isChunked ? .unsigned : payload, chunkVerifier: nil)
    }
}
