/// A streaming digest: feed bytes in any number of pieces, then read the result once.
///
/// Implementations: `MD5`, `SHA1`, `SHA256` (OpenSSL EVP), `CRC32` (zlib), `CRC32C`, `CRC64NVME`.
/// A hasher is used by one thread at a time.
package protocol Hasher: AnyObject {
    /// Adds `bytes` to the digest.
    func update(_ bytes: UnsafeRawBufferPointer)
    /// Returns the digest of everything added so far. Call once.
    func finalize() -> [UInt8]
}

extension Hasher {
    /// Adds the bytes of an array.
    package func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Adds the UTF-8 bytes of a string.
    package func update(_ string: String) {
        var string = string
        string.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }
}
