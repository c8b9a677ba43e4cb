import Digest
import HTTP

/// Passes a body through while computing its MD5 (the ETag), an optional additional checksum
/// and its length, so the data is hashed once, as it streams to the backend.
///
/// With `verify`, the additional checksum is checked the moment the body ends, before the read
/// that reports the end returns: a backend reads to the end before it makes the data durable
/// (a remote PUT keeps its last bytes back until then), so a mismatch stores nothing.
final class HashingSource: ByteSource {
    private let inner: any ByteSource
    private let md5 = MD5()
    private let checksum: (any Hasher)?
    private(set) var count: Int64 = 0
    /// Bytes past this many make `read` throw `ByteSourceError.tooLarge`.
    private let limit: Int64
    private let verify: ((String) throws(S3Error) -> Void)?
    private var ended = false
    private var md5Digest: String?
    private var checksumValue: String?

    init(
        _ inner: any ByteSource, checksum: (any Hasher)?, limit: Int64,
        verify: ((String) throws(S3Error) -> Void)? = nil
    ) {
        self.inner = inner
        self.checksum = checksum
        self.limit = limit
        self.verify = verify
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try inner.read(into: buffer)
        if n > 0 {
            count += Int64(n)
            if count > limit { throw ByteSourceError.tooLarge }
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            md5.update(bytes)
            checksum?.update(bytes)
        } else if buffer.count > 0 && !ended {
            ended = true
            if let verify, let value = checksumBase64() { try verify(value) }
        }
        return n
    }

    /// The hex MD5 of everything read (computed once, when first asked; read no more after).
    func md5Hex() -> String {
        if let md5Digest { return md5Digest }
        let digest = Hex.encode(md5.finalize())
        md5Digest = digest
        return digest
    }

    /// The base64 checksum of everything read, if one was asked for (computed once).
    func checksumBase64() -> String? {
        if let checksumValue { return checksumValue }
        checksumValue = checksum.map { Base64.encode($0.finalize()) }
        return checksumValue
    }
}
