/// Why a request failed authentication; S3API maps each case to the S3 error of the same name.
package enum AuthError: Error, Equatable {
    case invalidAccessKeyId
    /// The signature differs; carries what S3 echoes back to help debugging.
    case signatureDoesNotMatch(stringToSign: String, canonicalRequest: String)
    /// A presigned URL past its expiry, or anonymous access.
    case accessDenied(String)
    case authorizationHeaderMalformed(String)
    case authorizationQueryParametersError(String)
    /// The payload's SHA-256 differs from `x-amz-content-sha256`.
    case xAmzContentSHA256Mismatch(clientComputed: String, s3Computed: String)
    case requestTimeTooSkewed(requestTime: String, serverTime: String)
    /// Content-MD5 differs from the body (SigV2 and SigV4 alike).
    case badDigest
    /// Content-MD5 is not valid base64 of 16 bytes.
    case invalidDigest
    /// A malformed header value (e.g. an unknown x-amz-content-sha256 mode, a bad date).
    case invalidArgument(String)
    /// A bad aws-chunked frame or trailer.
    case invalidChunk(String)
    /// The body ended before its declared length.
    case incompleteBody
    /// Presigned and header authentication in one request, or another contradiction.
    case invalidRequest(String)
}
