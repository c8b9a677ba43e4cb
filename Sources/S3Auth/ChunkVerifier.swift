import Digest

/// Checks the chain of chunk signatures (and the trailer signature) of a signed aws-chunked body.
final class ChunkVerifier {
    private let signer: ChunkSigner
    /// The seed signature, then the signature of the last verified chunk.
    private(set) var previous: String
    private let hasher = SHA256()
    private var expected: String?

    init(signer: ChunkSigner, seedSignature: String) {
        self.signer = signer
        self.previous = seedSignature
    }

    /// A chunk starts; its header carried `signature`.
    func begin(signature: String?) throws(AuthError) {
        guard let signature else { throw .invalidChunk("missing chunk-signature") }
        expected = signature
    }

    func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bytes) }

    /// The chunk's bytes are all in: its signature must match.
    func end() throws(AuthError) {
        let stringToSign = signer.chunkStringToSign(previous: previous, dataHash: hasher.finalize())
        hasher.reset()
        let signature = signer.sign(stringToSign)
        guard let expected, constantTimeEquals(signature, expected) else {
            throw .signatureDoesNotMatch(stringToSign: stringToSign, canonicalRequest: "")
        }
        previous = signature
        self.expected = nil
    }

    /// Checks the signature of the trailing headers (`name:value\n` each, in the order sent).
    func verifyTrailer(_ trailers: [(name: String, value: String)], signature: String) throws(AuthError) {
        var text = ""
        for t in trailers { text += "\(t.name):\(t.value)\n" }
        let stringToSign = signer.trailerStringToSign(previous: previous, trailerHash: SHA256.hash(text.utf8))
        let computed = signer.sign(stringToSign)
        guard constantTimeEquals(computed, signature) else {
            throw .signatureDoesNotMatch(stringToSign: stringToSign, canonicalRequest: "")
        }
        previous = computed
    }
}
