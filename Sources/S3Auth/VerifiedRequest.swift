/// What a verified signature established, before the body is wrapped.
struct VerifiedRequest {
    var account: Account
    var accessKey: String
    /// 2 or 4.
    var signatureVersion: Int
    var payload: PayloadMode
    /// Set for the signed aws-chunked modes, seeded with the request's signature.
    var chunkVerifier: ChunkVerifier?
}
