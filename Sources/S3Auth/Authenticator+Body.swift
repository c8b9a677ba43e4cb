import Digest
import HTTP

/// Wrapping the request body so that what was signed is checked as the bytes stream.
extension Authenticator {
    /// The decoded Content-MD5, checked up front.
    /// - Throws: `invalidDigest` when it is not base64 of 16 bytes.
    static func contentMD5(_ headers: HTTPHeaders) throws(AuthError) -> [UInt8]? {
        guard let value = headers["content-md5"] else { return nil }
        guard let bytes = Base64.decode(value.trimmingSpaces), bytes.count == 16 else { throw .invalidDigest }
        return bytes
    }

    /// The payload source and its length, per the payload mode the signature covered.
    ///
    /// Anonymous requests get the checks that need no key: a hex `x-amz-content-sha256` and
    /// the unsigned aws-chunked framing.
    func wrapBody(
        _ request: HTTPRequest, verified: VerifiedRequest?, contentMD5: [UInt8]?, trailers: TrailerBox
    ) throws(AuthError) -> (any ByteSource, Int64?) {
        var body: any ByteSource = request.body
        var length = request.contentLength
        let mode: PayloadMode?
        if let verified {
            mode = verified.payload
        } else {
            switch request.headers["x-amz-content-sha256"].flatMap(PayloadMode.init) {
            case .sha256(let hex): mode = .sha256(hex)
            case .streamingUnsignedTrailer: mode = .streamingUnsignedTrailer
            default: mode = nil
            }
        }
        switch mode {
        case .sha256(let hex):
            body = PayloadHashingBody(body, expected: hex, length: length)
        case .streamingSigned, .streamingSignedTrailer, .streamingUnsignedTrailer:
            let declared = try Self.decodedContentLength(request.headers)
            body = AWSChunkedBody(
                body, verifier: verified?.chunkVerifier,
                requireTrailerSignature: mode == .streamingSignedTrailer, declaredLength: declared,
                trailers: trailers)
            length = declared
        case .unsigned, nil:
            break
        }
        if let contentMD5 { body = ContentMD5Body(body, expected: contentMD5, length: length) }
        return (body, length)
    }

    /// `x-amz-decoded-content-length`, the payload size of an aws-chunked body.
    static func decodedContentLength(_ headers: HTTPHeaders) throws(AuthError) -> Int64? {
        guard let value = headers["x-amz-decoded-content-length"] else { return nil }
        guard let length = Int64(value.trimmingSpaces), length >= 0 else {
            throw .invalidArgument("x-amz-decoded-content-length must be a non-negative integer")
        }
        return length
    }
}
