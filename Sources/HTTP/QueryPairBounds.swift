/// The byte offsets of each non-empty `name[=value]` pair of a raw query string, split at `&`:
/// `eq` is the offset of the pair's first `=`, or -1 when it has none. Used by every request's
/// query parsing (S3API's decoded parameters, S3Auth's raw ones), so it runs over bytes.
package func queryPairBounds(_ bytes: UnsafeBufferPointer<UInt8>) -> [(start: Int, eq: Int, end: Int)] {
    var bounds: [(start: Int, eq: Int, end: Int)] = []
    var start = 0
    while start < bytes.count {
        var end = start
        var eq = -1
        while end < bytes.count && bytes[end] != UInt8(ascii: "&") {
            if eq < 0 && bytes[end] == UInt8(ascii: "=") { eq = end }
            end += 1
        }
        if end > start { bounds.append((start, eq, end)) }
        start = end + 1
    }
    return bounds
}
