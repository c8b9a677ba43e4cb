import HTTP

/// The payload of an aws-chunked body: frames removed, chunk and trailer signatures verified
/// as the bytes stream, trailing headers collected into a `TrailerBox`.
///
/// A bad signature or frame throws `AuthError` from `read` before the end is reported, so
/// the caller never commits an object whose body did not verify. Reads the wire through one
/// buffer allocated once.
final class AWSChunkedBody: ByteSource {
    private let inner: any ByteSource
    private var decoder = AWSChunkedDecoder()
    private let verifier: ChunkVerifier?
    private let requireTrailerSignature: Bool
    private let declaredLength: Int64?
    private let trailerBox: TrailerBox
    private var trailers: [(name: String, value: String)] = []
    private var trailerSigned = false
    private var decoded: Int64 = 0

    private let buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var innerEnded = false
    private var finished = false
    private var failure: (any Error)?

    /// Size of the wire buffer.
    static let bufferSize = 64 * 1024

    /// - Parameters:
    ///   - verifier: checks chunk signatures; nil for STREAMING-UNSIGNED-PAYLOAD-TRAILER.
    ///   - requireTrailerSignature: the mode is STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER.
    ///   - declaredLength: `x-amz-decoded-content-length`, checked at the end when given.
    init(
        _ inner: any ByteSource, verifier: ChunkVerifier?, requireTrailerSignature: Bool,
        declaredLength: Int64?, trailers: TrailerBox
    ) {
        self.inner = inner
        self.verifier = verifier
        self.requireTrailerSignature = requireTrailerSignature
        self.declaredLength = declaredLength
        self.trailerBox = trailers
        self.buffer = .allocate(byteCount: Self.bufferSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    func read(into out: UnsafeMutableRawBufferPointer) throws -> Int {
        if let failure { throw failure }
        if finished || out.count == 0 { return 0 }
        do {
            return try step(out)
        } catch {
            failure = error
            throw error
        }
    }

    /// Returns the next payload bytes. Once the declared length has been passed on, the rest of
    /// the frame (last chunk, trailers, their signatures) is verified before those last bytes
    /// are returned, so that a reader that stops at the declared length still gets every check.
    private func step(_ out: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try advance(out)
        if n > 0, let declaredLength, decoded == declaredLength {
            _ = try advance(nil)
        }
        return n
    }

    /// Runs the decoder until payload bytes are copied to `out` or the body ends; with `out`
    /// nil, any payload byte is an error.
    private func advance(_ out: UnsafeMutableRawBufferPointer?) throws -> Int {
        while true {
            let input = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
            let (consumed, event) = try decoder.next(input, maxData: out?.count ?? 1)
            start += consumed
            switch event {
            case .needMore:
                if start < end { continue }
                if innerEnded {
                    try decoder.finish()
                    try complete()
                    return 0
                }
                let n = try inner.read(into: buffer)
                if n == 0 { innerEnded = true }
                start = 0
                end = n
            case .data(let n):
                guard let out else {
                    throw AuthError.invalidChunk("the chunks exceed x-amz-decoded-content-length")
                }
                let bytes = UnsafeRawBufferPointer(rebasing: input[0..<n])
                out.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: n)
                verifier?.update(bytes)
                decoded += Int64(n)
                return n
            case .chunkHeader(let size, let signature):
                if let declaredLength, decoded + Int64(size) > declaredLength {
                    throw AuthError.invalidChunk("the chunks exceed x-amz-decoded-content-length")
                }
                try verifier?.begin(signature: signature)
            case .chunkEnd:
                try verifier?.end()
            case .trailer(let name, let value):
                trailers.append((name, value))
            case .trailerSignature(let signature):
                if let verifier {
                    try verifier.verifyTrailer(trailers, signature: signature)
                    trailerSigned = true
                }
            case .end:
                try complete()
                return 0
            }
        }
    }

    /// The body ended well framed: check what only the end can tell.
    private func complete() throws {
        if requireTrailerSignature && !trailerSigned && !trailers.isEmpty {
            throw AuthError.invalidChunk("missing x-amz-trailer-signature")
        }
        if let declaredLength, decoded != declaredLength { throw AuthError.incompleteBody }
        var values: [String: String] = [:]
        for t in trailers { values[t.name] = t.value }
        trailerBox.values = values
        finished = true
    }
}
