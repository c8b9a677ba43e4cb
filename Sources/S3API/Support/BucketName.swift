/// S3's bucket naming rules (AWS "Bucket naming rules", general purpose buckets).
package enum BucketName {
    /// Whether `name` is a valid bucket name: 3-63 characters of lower-case letters, digits,
    /// dots and hyphens, starting and ending with a letter or digit, no `..`, not an IPv4
    /// address, none of the reserved prefixes and suffixes.
    package static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count >= 3, bytes.count <= 63 else { return false }
        func alnum(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
        }
        guard alnum(bytes.first!), alnum(bytes.last!) else { return false }
        var previous: UInt8 = 0
        for b in bytes {
            guard alnum(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") else { return false }
            if b == UInt8(ascii: "."), previous == UInt8(ascii: ".") { return false }
            previous = b
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) { return false }
        if name.hasPrefix("xn--") || name.hasPrefix("sthree-") || name.hasSuffix("-s3alias")
            || name.hasSuffix("--ol-s3")
        {
            return false
        }
        return true
    }
}
