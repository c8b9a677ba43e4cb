import Foundation
import HTTP

/// Verifies SigV2 and SigV4 requests (header, presigned query, aws-chunked streaming, trailers).
///
/// Which scheme applies is decided by the request alone: an `Authorization` header
/// (`AWS4-HMAC-SHA256 ...` or `AWS AKID:sig`), SigV4 query parameters (`X-Amz-Algorithm`, ...),
/// SigV2 query parameters (`AWSAccessKeyId`, `Signature`), or none of them (anonymous).
package struct Authenticator: Sendable {
    let credentials: any CredentialStore
    /// The configured region. Requests signed for any region are accepted, as S3-compatible
    /// servers do (clients sign with "us-east-1", "US", "other-v2-signature", ...); the region of
    /// the credential scope is the one used to compute the signature.
    package let region: String
    let keyCache = SigningKeyCache()

    /// Largest difference between a request's time and ours, in seconds: 15 minutes.
    static let maxClockSkew: Int64 = 15 * 60

    package init(credentials: any CredentialStore, region: String = "us-east-1") {
        self.credentials = credentials
        self.region = region
    }

    /// Verifies the signature of `request` before anything is changed; `virtualHostBucket` is the
    /// bucket name when it came from the Host (virtual-hosted style), needed by SigV2's resource.
    /// `now` is injected for tests. The returned context wraps the body so that payload hashes
    /// and chunk signatures are checked as the bytes stream.
    ///
    /// A request without any signature is anonymous (`account` nil): the caller decides what it
    /// may do.
    /// - Throws: `AuthError`: `invalidAccessKeyId`, `signatureDoesNotMatch`, `accessDenied`
    ///   (expired presigned URL, no usable date), `authorizationHeaderMalformed`,
    ///   `authorizationQueryParametersError`, `requestTimeTooSkewed`, `invalidDigest`,
    ///   `invalidArgument`, `invalidRequest` (two mechanisms, missing x-amz-content-sha256).
    package func authenticate(_ request: HTTPRequest, virtualHostBucket: String?, now: Date = Date())
        throws(AuthError) -> AuthContext
    {
        let nowSeconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let query = QueryParameters(request.query)
        let authorization = request.headers["authorization"].flatMap { $0.isEmpty ? nil : $0 }
        let v4Query =
            !query.items.isEmpty
            && (query.contains("X-Amz-Algorithm") || query.contains("X-Amz-Credential")
                || query.contains("X-Amz-Signature"))
        let v2Query =
            !v4Query && !query.items.isEmpty
            && (query.contains("AWSAccessKeyId") || query.contains("Signature"))
        if authorization != nil && (v4Query || v2Query) {
            throw .invalidRequest(
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query "
                    + "string parameter or the Authorization header should be specified")
        }
        let contentMD5 = try Self.contentMD5(request.headers)

        let verified: VerifiedRequest?
        if let authorization {
            if authorization.hasPrefix(SigV4.algorithm) {
                verified = try verifySigV4Header(
                    request, query: query, authorization: authorization, now: nowSeconds)
            } else if authorization.hasPrefix("AWS ") {
                verified = try verifySigV2Header(
                    request, query: query, authorization: authorization, virtualHostBucket: virtualHostBucket,
                    now: nowSeconds)
            } else {
                throw .invalidArgument("Unsupported Authorization Type")
            }
        } else if v4Query {
            verified = try verifySigV4Query(request, query: query, now: nowSeconds)
        } else if v2Query {
            verified = try verifySigV2Query(
                request, query: query, virtualHostBucket: virtualHostBucket, now: nowSeconds)
        } else {
            verified = nil
        }

        let trailers = TrailerBox()
        let (body, length) = try wrapBody(
            request, verified: verified, contentMD5: contentMD5, trailers: trailers)
        return AuthContext(
            account: verified?.account, accessKey: verified?.accessKey,
            signatureVersion: verified?.signatureVersion ?? 0, body: body, decodedContentLength: length,
            trailers: trailers)
    }
}

/// The outcome of authentication.
package final class AuthContext {
    /// The account that signed, nil for an anonymous request.
    package let account: Account?
    package let accessKey: String?
    /// 2 or 4; 0 for anonymous.
    package let signatureVersion: Int
    /// The payload: aws-chunked decoded, hashes and chunk signatures verified while read (a
    /// mismatch throws `AuthError` from `read`). Content-MD5 is verified too when sent.
    package let body: any ByteSource
    /// The payload's length: `x-amz-decoded-content-length` for aws-chunked, else Content-Length.
    package let decodedContentLength: Int64?
    /// Trailing headers of an aws-chunked body (e.g. `x-amz-checksum-crc32`), lower-cased names;
    /// complete once `body` has been read to its end.
    package var trailers: [String: String] { trailerBox.values }

    private let trailerBox: TrailerBox

    package init(
        account: Account?, accessKey: String?, signatureVersion: Int, body: any ByteSource,
        decodedContentLength: Int64?, trailers: TrailerBox = TrailerBox()
    ) {
        self.account = account
        self.accessKey = accessKey
        self.signatureVersion = signatureVersion
        self.body = body
        self.decodedContentLength = decodedContentLength
        self.trailerBox = trailers
    }
}

/// Trailing headers filled in by the aws-chunked decoder when it reaches the end.
package final class TrailerBox {
    package var values: [String: String] = [:]
    package init() {}
}
