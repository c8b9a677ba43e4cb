/// Lowercase hexadecimal, as SigV4 signatures, payload hashes and ETags are written.
package enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `bytes` as lowercase hex, two characters a byte.
    package static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { encode($0) }
    }

    /// `bytes` as lowercase hex, two characters a byte.
    package static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            var i = 0
            digits.withUnsafeBufferPointer { d in
                for byte in bytes {
                    out[i] = d[Int(byte >> 4)]
                    out[i + 1] = d[Int(byte & 0x0f)]
                    i += 2
                }
            }
            return i
        }
    }

    /// The bytes of a hex string (either case); nil if it has an odd length or a non-hex character.
    package static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = text.utf8
        guard utf8.count % 2 == 0 else { return nil }
        var result = [UInt8]()
        result.reserveCapacity(utf8.count / 2)
        var high: UInt8? = nil
        for c in utf8 {
            guard let v = value(of: c) else { return nil }
            if let h = high {
                result.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return result
    }

    /// True if `text` is exactly `count` lowercase-or-uppercase hex characters.
    package static func isHex(_ text: some StringProtocol, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { value(of: $0) != nil }
    }

    /// The value of one hex digit.
    @inline(__always) static func value(of c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }
}

/// Compares two byte strings in time that depends only on their lengths, so that a
/// signature check does not reveal how many leading bytes matched.
package func constantTimeEquals(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for i in 0..<a.count { difference |= a[i] ^ b[i] }
    return difference == 0
}

/// `constantTimeEquals` over two byte arrays.
package func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    a.withUnsafeBytes { ra in b.withUnsafeBytes { rb in constantTimeEquals(ra, rb) } }
}

/// `constantTimeEquals` over the UTF-8 bytes of two strings.
package func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    var a = a
    var b = b
    return a.withUTF8 { ra in
        b.withUTF8 { rb in constantTimeEquals(UnsafeRawBufferPointer(ra), UnsafeRawBufferPointer(rb)) }
    }
}
