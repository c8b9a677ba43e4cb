/// HMAC (RFC 2104) over SHA-256 (SigV4) and SHA-1 (SigV2).
///
/// Built on the reusable digest contexts rather than OpenSSL's `HMAC()`, which fetches its
/// algorithm again on every call under OpenSSL 3.
package enum HMAC {
    /// HMAC-SHA256 of `data` under `key`; 32 bytes.
    package static func sha256(key: some Sequence<UInt8>, data: some Sequence<UInt8>) -> [UInt8] {
        compute(SHA256.init, key: key, data: data)
    }

    /// HMAC-SHA1 of `data` under `key`; 20 bytes.
    package static func sha1(key: some Sequence<UInt8>, data: some Sequence<UInt8>) -> [UInt8] {
        compute(SHA1.init, key: key, data: data)
    }

    /// Both algorithms have 64-byte blocks.
    private static let blockSize = 64

    private static func compute<H: Hasher>(
        _ make: () -> H, key: some Sequence<UInt8>, data: some Sequence<UInt8>
    ) -> [UInt8] {
        var k = Array(key)
        if k.count > blockSize {
            let h = make()
            h.update(k)
            k = h.finalize()
        }
        var pad = [UInt8](repeating: 0x36, count: blockSize)
        for i in 0..<k.count { pad[i] ^= k[i] }
        let inner = make()
        inner.update(pad)
        let done: Void? = data.withContiguousStorageIfAvailable { inner.update(UnsafeRawBufferPointer($0)) }
        if done == nil { inner.update(Array(data)) }
        let innerDigest = inner.finalize()
        for i in 0..<blockSize { pad[i] ^= 0x36 ^ 0x5c }
        let outer = make()
        outer.update(pad)
        outer.update(innerDigest)
        return outer.finalize()
    }
}
