#if canImport(Glibc)
    import Glibc
#endif

/// The byte offsets of each non-empty `name[=value]` pair of a raw query string, split at `&`:
/// `eq` is the offset of the pair's first `=`, or -1 when it has none. Used by every request's
/// query parsing (S3API's decoded parameters, S3Auth's raw ones), so it runs over bytes, with
/// `memchr` finding the separators.
package func queryPairBounds(_ bytes: UnsafeBufferPointer<UInt8>) -> [(start: Int, eq: Int, end: Int)] {
    guard let base = bytes.baseAddress else { return [] }
    var bounds: [(start: Int, eq: Int, end: Int)] = []
    var start = 0
    while start < bytes.count {
        let end =
            offset(of: UInt8(ascii: "&"), in: base, from: start, to: bytes.count) ?? bytes.count
        if end > start {
            let eq = offset(of: UInt8(ascii: "="), in: base, from: start, to: end) ?? -1
            bounds.append((start, eq, end))
        }
        start = end + 1
    }
    return bounds
}

/// The offset from `base` of the first `byte` in `start..<end`.
private func offset(of byte: UInt8, in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
    guard let found = memchr(base + start, Int32(byte), end - start) else { return nil }
    return base.distance(to: UnsafePointer(found.assumingMemoryBound(to: UInt8.self)))
}
