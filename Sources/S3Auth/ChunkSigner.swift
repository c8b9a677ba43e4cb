import Digest

/// Computes the chained signatures of aws-chunked uploads (sigv4-streaming, sigv4-streaming-trailers).
///
/// Chunk: HMAC(key, "AWS4-HMAC-SHA256-PAYLOAD\n" date \n scope \n previous \n SHA256("") \n SHA256(data)).
/// Trailer: HMAC(key, "AWS4-HMAC-SHA256-TRAILER\n" date \n scope \n previous \n SHA256(trailer lines)).
struct ChunkSigner {
    let signingKey: [UInt8]
    /// The request's `yyyyMMdd'T'HHmmss'Z'`.
    let amzDate: String
    let scope: String

    static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    func chunkStringToSign(previous: String, dataHash: [UInt8]) -> String {
        "AWS4-HMAC-SHA256-PAYLOAD\n\(amzDate)\n\(scope)\n\(previous)\n\(Self.emptySHA256)\n\(Hex.encode(dataHash))"
    }

    func trailerStringToSign(previous: String, trailerHash: [UInt8]) -> String {
        "AWS4-HMAC-SHA256-TRAILER\n\(amzDate)\n\(scope)\n\(previous)\n\(Hex.encode(trailerHash))"
    }

    func sign(_ stringToSign: String) -> String {
        Hex.encode(HMAC.sha256(key: signingKey, data: stringToSign.utf8))
    }
}
