/// Standard base64 (RFC 4648 §4, with `=` padding): Content-MD5, checksums, SigV2 signatures.
package enum Base64 {
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0...63 for alphabet characters, 0xFF otherwise.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// `bytes` in padded base64.
    package static func encode(_ input: [UInt8]) -> String {
        let length = (input.count + 2) / 3 * 4
        return String(unsafeUninitializedCapacity: length) { out in
            alphabet.withUnsafeBufferPointer { a in
                var i = 0
                var o = 0
                while i + 3 <= input.count {
                    let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                    out[o] = a[Int(v >> 18)]
                    out[o + 1] = a[Int((v >> 12) & 63)]
                    out[o + 2] = a[Int((v >> 6) & 63)]
                    out[o + 3] = a[Int(v & 63)]
                    i += 3
                    o += 4
                }
                let rest = input.count - i
                if rest > 0 {
                    let v = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i + 1]) << 8 : 0)
                    out[o] = a[Int(v >> 18)]
                    out[o + 1] = a[Int((v >> 12) & 63)]
                    out[o + 2] = rest == 2 ? a[Int((v >> 6) & 63)] : UInt8(ascii: "=")
                    out[o + 3] = UInt8(ascii: "=")
                }
            }
            return length
        }
    }

    /// The bytes of padded base64 text; nil for a length that is not a multiple of 4, a
    /// character outside the alphabet, or padding anywhere but at the end.
    package static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 4 == 0 else { return nil }
        if input.isEmpty { return [] }
        var padding = 0
        if input[input.count - 1] == UInt8(ascii: "=") { padding += 1 }
        if input[input.count - 2] == UInt8(ascii: "=") { padding += 1 }
        var result = [UInt8]()
        result.reserveCapacity(input.count / 4 * 3 - padding)
        return values.withUnsafeBufferPointer { table -> [UInt8]? in
            var i = 0
            while i < input.count {
                let last = i + 4 == input.count
                let c0 = table[Int(input[i])]
                let c1 = table[Int(input[i + 1])]
                let c2 = last && padding == 2 ? 0 : table[Int(input[i + 2])]
                let c3 = last && padding >= 1 ? 0 : table[Int(input[i + 3])]
                if c0 > 63 || c1 > 63 || c2 > 63 || c3 > 63 { return nil }
                let v = UInt32(c0) << 18 | UInt32(c1) << 12 | UInt32(c2) << 6 | UInt32(c3)
                result.append(UInt8(truncatingIfNeeded: v >> 16))
                if !(last && padding == 2) { result.append(UInt8(truncatingIfNeeded: v >> 8)) }
                if !(last && padding >= 1) { result.append(UInt8(truncatingIfNeeded: v)) }
                i += 4
            }
            return result
        }
    }
}
