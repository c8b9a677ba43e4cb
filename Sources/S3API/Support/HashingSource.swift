import Digest
import HTTP

/// Passes a body through while computing its MD5 (the ETag), an optional additional checksum
/// and its length, so the data is hashed once, as it streams to the backend.
final class HashingSource: ByteSource {
    private let inner: any ByteSource
    private let md5 = MD5()
    private let checksum: (any Hasher)?
    private(set) var count: Int64 = 0
    /// Bytes past this many make `read` throw `ByteSourceError.tooLarge`.
    private let limit: Int64

    init(_ inner: any ByteSource, checksum: (any Hasher)?, limit: Int64) {
        self.inner = inner
        self.checksum = checksum
        self.limit = limit
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try inner.read(into: buffer)
        if n > 0 {
            count += Int64(n)
            if count > limit { throw ByteSourceError.tooLarge }
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            md5.update(bytes)
            checksum?.update(bytes)
        }
        return n
    }

    /// The hex MD5 of everything read.
    func md5Hex() -> String { Hex.encode(md5.finalize()) }

    /// The base64 checksum of everything read, if one was asked for.
    func checksumBase64() -> String? { checksum.map { Base64.encode($0.finalize()) } }
}
