import COpenSSL

/// Owns one OpenSSL `EVP_MD_CTX` and the algorithm it was set up with.
///
/// `EVP_MD_CTX_new` allocates the context and `EVP_MD_CTX_free` "cleans up digest context ctx
/// and frees up the space allocated to it" (EVP_DigestInit(3)); the context is reused across
/// `reset()` calls so that hashing many small inputs costs no allocation.
final class EVPContext {
    private let context: OpaquePointer
    private let algorithm: OpaquePointer
    private let size: Int

    init(_ algorithm: OpaquePointer) {
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed") }
        self.context = context
        self.algorithm = algorithm
        self.size = Int(EVP_MD_get_size(algorithm))
        reset()
    }

    /// Starts a new digest, forgetting everything added so far.
    func reset() {
        guard EVP_DigestInit_ex(context, algorithm, nil) == 1 else { fatalError("EVP_DigestInit_ex failed") }
    }

    func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        EVP_DigestUpdate(context, bytes.baseAddress, bytes.count)
    }

    func finalize() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var length: UInt32 = 0
            EVP_DigestFinal_ex(context, buffer.baseAddress, &length)
            count = Int(length)
        }
    }

    deinit { EVP_MD_CTX_free(context) }
}

/// The digest algorithms, fetched once: `EVP_MD_fetch` "fetches an implementation ... the
/// returned object must be freed with EVP_MD_free" (EVP_DigestInit(3)); these live for the
/// process, and an explicit fetch avoids OpenSSL 3's implicit fetch on every init.
enum EVPAlgorithm {
    nonisolated(unsafe) static let md5: OpaquePointer = fetch("MD5")
    nonisolated(unsafe) static let sha1: OpaquePointer = fetch("SHA1")
    nonisolated(unsafe) static let sha256: OpaquePointer = fetch("SHA256")

    private static func fetch(_ name: String) -> OpaquePointer {
        guard let md = EVP_MD_fetch(nil, name, nil) else { fatalError("EVP_MD_fetch(\(name)) failed") }
        return md
    }
}

/// MD5 (RFC 1321): the ETag of single-part uploads and Content-MD5.
package final class MD5: Hasher {
    private let context = EVPContext(EVPAlgorithm.md5)
    package init() {}
    package func update(_ bytes: UnsafeRawBufferPointer) { context.update(bytes) }
    package func finalize() -> [UInt8] { context.finalize() }
    /// Starts over so the object can hash another input.
    package func reset() { context.reset() }

    /// The MD5 of `bytes` in one call.
    package static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] { oneShot(MD5(), bytes) }
}

/// SHA-1: SigV2's HMAC and `x-amz-checksum-sha1`.
package final class SHA1: Hasher {
    private let context = EVPContext(EVPAlgorithm.sha1)
    package init() {}
    package func update(_ bytes: UnsafeRawBufferPointer) { context.update(bytes) }
    package func finalize() -> [UInt8] { context.finalize() }
    /// Starts over so the object can hash another input.
    package func reset() { context.reset() }

    /// The SHA-1 of `bytes` in one call.
    package static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] { oneShot(SHA1(), bytes) }
}

/// SHA-256: SigV4 payload hashes, canonical requests and `x-amz-checksum-sha256`.
package final class SHA256: Hasher {
    private let context = EVPContext(EVPAlgorithm.sha256)
    package init() {}
    package func update(_ bytes: UnsafeRawBufferPointer) { context.update(bytes) }
    package func finalize() -> [UInt8] { context.finalize() }
    /// Starts over so the object can hash another input.
    package func reset() { context.reset() }

    /// The SHA-256 of `bytes` in one call.
    package static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] { oneShot(SHA256(), bytes) }
}

/// Feeds `bytes` to `hasher` (contiguously when possible) and returns the digest.
func oneShot(_ hasher: some Hasher, _ bytes: some Sequence<UInt8>) -> [UInt8] {
    let done: Void? = bytes.withContiguousStorageIfAvailable { hasher.update(UnsafeRawBufferPointer($0)) }
    if done == nil { hasher.update(Array(bytes)) }
    return hasher.finalize()
}
