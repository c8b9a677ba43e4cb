import Digest
import HTTP

/// SigV4 with the `Authorization` header (sig-v4-header-based-auth).
///
/// ```
/// Authorization: AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request,
///                SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=<64 hex>
/// ```
enum SigV4 {
    static let algorithm = "AWS4-HMAC-SHA256"

    /// "AWS4-HMAC-SHA256" \n date \n scope \n hex(SHA256(canonical request)).
    static func stringToSign(amzDate: String, scope: String, canonicalRequest: String) -> String {
        let hash = Hex.encode(SHA256.hash(canonicalRequest.utf8))
        var text = ""
        text.reserveCapacity(
            algorithm.utf8.count + amzDate.utf8.count + scope.utf8.count + hash.utf8.count + 3)
        text += algorithm
        text += "\n"
        text += amzDate
        text += "\n"
        text += scope
        text += "\n"
        text += hash
        return text
    }

    /// Lowercase hex HMAC-SHA256 of `stringToSign`.
    static func sign(_ stringToSign: String, key: [UInt8]) -> String {
        Hex.encode(HMAC.sha256(key: key, data: stringToSign.utf8))
    }

    /// AWS's message when neither a usable x-amz-date nor Date header was sent.
    static let missingDateMessage = "AWS authentication requires a valid Date or x-amz-date header"
}

/// The three components of a SigV4 Authorization header.
struct SigV4Authorization {
    var credential: Substring
    var signedHeaders: Substring
    var signature: Substring

    /// Parses the header value (starting with the algorithm name).
    /// - Throws: `authorizationHeaderMalformed` with AWS's wording.
    static func parse(_ value: String) throws(AuthError) -> SigV4Authorization {
        var credential: Substring?
        var signedHeaders: Substring?
        var signature: Substring?
        let utf8 = value.utf8
        var cursor =
            utf8.index(utf8.startIndex, offsetBy: SigV4.algorithm.utf8.count, limitedBy: utf8.endIndex)
            ?? utf8.endIndex
        while cursor < utf8.endIndex {
            let stop = utf8[cursor...].firstIndex(of: UInt8(ascii: ",")) ?? utf8.endIndex
            var start = cursor
            var end = stop
            while start < end && utf8[start] == UInt8(ascii: " ") { start = utf8.index(after: start) }
            while end > start && utf8[utf8.index(before: end)] == UInt8(ascii: " ") {
                end = utf8.index(before: end)
            }
            cursor = stop < utf8.endIndex ? utf8.index(after: stop) : stop
            if start == end { continue }
            let text = Substring(value[start..<end])
            guard let eq = text.utf8.firstIndex(of: UInt8(ascii: "=")) else {
                throw .authorizationHeaderMalformed(
                    "The authorization header is malformed; the authorization component \"\(text)\" is malformed."
                )
            }
            let v = text[text.utf8.index(after: eq)...]
            switch text[..<eq] {
            case "Credential": credential = v
            case "SignedHeaders": signedHeaders = v
            case "Signature": signature = v
            default:
                throw .authorizationHeaderMalformed(
                    "The authorization header is malformed; the authorization component \"\(text)\" is malformed."
                )
            }
        }
        guard let credential, let signedHeaders, let signature else {
            throw .authorizationHeaderMalformed(
                "The authorization header is malformed; the authorization header requires three components: "
                    + "Credential, SignedHeaders, and Signature.")
        }
        return SigV4Authorization(credential: credential, signedHeaders: signedHeaders, signature: signature)
    }
}

extension Authenticator {
    /// Verifies a header-signed SigV4 request.
    func verifySigV4Header(
        _ request: HTTPRequest, query: QueryParameters, authorization: String, now: Int64
    ) throws(AuthError) -> VerifiedRequest {
        let auth = try SigV4Authorization.parse(authorization)
        let credential: CredentialScope
        switch CredentialScope.parse(auth.credential) {
        case .success(let c): credential = c
        case .failure(let e):
            throw .authorizationHeaderMalformed("The authorization header is malformed; " + e.message)
        }

        let sentDate: String
        let time: AmzDate
        if let x = request.headers["x-amz-date"] {
            guard let t = AmzDate(iso8601Basic: x) ?? AmzDate(rfc1123: x) else {
                throw .accessDenied(SigV4.missingDateMessage)
            }
            (sentDate, time) = (x, t)
        } else if let d = request.headers["date"], let t = AmzDate(rfc1123: d) {
            (sentDate, time) = (d, t)
        } else {
            throw .accessDenied(SigV4.missingDateMessage)
        }
        let amzDate = time.iso8601Basic
        guard amzDate.utf8.prefix(8).elementsEqual(credential.date.utf8) else {
            throw .authorizationHeaderMalformed(
                "The authorization header is malformed; Invalid credential date \"\(credential.date)\". "
                    + "This date is not the same as X-Amz-Date: \"\(amzDate.prefix(8))\".")
        }
        try checkSkew(time, sent: sentDate, now: now)

        guard let (secret, account) = credentials.lookup(accessKey: String(credential.accessKey)) else {
            throw .invalidAccessKeyId
        }
        guard let contentSHA256 = request.headers["x-amz-content-sha256"] else {
            throw .invalidRequest("Missing required header for this request: x-amz-content-sha256")
        }
        guard let payload = PayloadMode(contentSHA256) else {
            throw .invalidArgument(PayloadMode.invalidValueMessage)
        }

        let canonicalRequest = CanonicalRequest.build(
            method: request.method, path: request.path, query: query, headers: request.headers,
            signedHeaders: auth.signedHeaders, payloadHash: contentSHA256)
        let scope = String(credential.scope)
        let stringToSign = SigV4.stringToSign(
            amzDate: amzDate, scope: scope, canonicalRequest: canonicalRequest)
        let key = keyCache.signingKey(
            secret: secret, scope: scope, date: credential.date, region: credential.region,
            service: credential.service)
        let signature = SigV4.sign(stringToSign, key: key)
        guard constantTimeEquals(signature, String(auth.signature)) else {
            throw .signatureDoesNotMatch(stringToSign: stringToSign, canonicalRequest: canonicalRequest)
        }

        var verifier: ChunkVerifier? = nil
        if payload == .streamingSigned || payload == .streamingSignedTrailer {
            verifier = ChunkVerifier(
                signer: ChunkSigner(signingKey: key, amzDate: amzDate, scope: scope), seedSignature: signature
            )
        }
        return VerifiedRequest(
            account: account, accessKey: String(credential.accessKey), signatureVersion: 4, payload: payload,
            chunkVerifier: verifier)
    }

    /// Refuses a request whose time is more than `maxClockSkew` away from ours.
    func checkSkew(_ time: AmzDate, sent: String, now: Int64) throws(AuthError) {
        if abs(time.epochSeconds - now) > Self.maxClockSkew {
            throw .requestTimeTooSkewed(requestTime: sent, serverTime: AmzDate(epochSeconds: now).iso8601)
        }
    }
}
