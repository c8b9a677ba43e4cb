/// The client forms of a raw version ID, exactly the original's (Arsenal `VersionID`
/// `encode` / `decode`), so that IDs travel both ways between the two servers:
///
/// ```
/// base62 (raw of 27 characters → 32 characters, alphabet 0-9 a-z A-Z):
///   raw:  9820383392 1416999999 "RG001  "
///         └ digits 0..<10 ┘└ 10..<20 ┘└ bytes 20..<27, one big-endian number ┘
///   out:  aIBkkw       1xTAqH     00000000001I4j3QKItW
///         6 chars      6 chars    20 chars, all zero-padded on the left
/// hex (any other raw ID): two lower-case hex digits per byte (28 characters → 56).
/// ```
/// Decoding goes by length as the original's does: 32 characters are base62, more are hex.
extension VersionID {
    /// Characters of each half of the digits in base62: ceil(10 · log 10 / log 62).
    static let base62HalfWidth = 6
    /// Characters of the replication group in base62: 32 − 2 · 6.
    static let base62GroupWidth = 20
    static let base62Length = 32
    /// Longest info field accepted in a client's hex ID.
    static let maxInfoLength = 64

    /// The client form of a raw ID: base62 when it has no info field, hex otherwise.
    package static func encode(_ raw: String) -> String {
        let bytes = Array(raw.utf8)
        guard bytes.count == baseLength, let ts = Int64(decimal: bytes[0..<10]),
            let seq = Int64(decimal: bytes[10..<20])
        else { return hex(bytes) }
        var group: UInt64 = 0
        for b in bytes[20..<baseLength] { group = group << 8 | UInt64(b) }
        return Base62.encode(UInt64(ts), width: base62HalfWidth)
            + Base62.encode(UInt64(seq), width: base62HalfWidth)
            + Base62.encode(group, width: base62GroupWidth)
    }

    /// The raw ID of a client's version ID, or nil when it is no ID this server or the
    /// original could have shown (S3: 400 InvalidArgument "Invalid version id specified").
    package static func decode(_ text: String) -> String? {
        let chars = Array(text.utf8)
        if chars.count == base62Length { return decodeBase62(chars) }
        if chars.count > base62Length { return decodeHex(chars) }
        return nil
    }

    private static func decodeBase62(_ chars: [UInt8]) -> String? {
        let w = base62HalfWidth
        guard let ts = Base62.decode(chars[0..<w]), ts < 10_000_000_000,
            let seq = Base62.decode(chars[w..<(2 * w)]), seq < 10_000_000_000,
            let group = Base62.decode(chars[(2 * w)...]), group < 1 << 56
        else { return nil }
        var bytes = Array(digits(Int64(ts), 10).utf8) + Array(digits(Int64(seq), 10).utf8)
        for shift in stride(from: 48, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: group >> UInt64(shift)))
        }
        return valid(bytes)
    }

    private static func decodeHex(_ chars: [UInt8]) -> String? {
        guard chars.count % 2 == 0, chars.count / 2 <= baseLength + maxInfoLength else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = hexValue(chars[i]), let lo = hexValue(chars[i + 1]) else { return nil }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        return valid(bytes)
    }

    /// A raw ID: 20 digits, then the group and info, printable ASCII.
    private static func valid(_ bytes: [UInt8]) -> String? {
        let digitCount = timestampDigits + sequenceDigits
        guard bytes.count >= baseLength, bytes[0..<digitCount].allSatisfy({ $0 >= 48 && $0 <= 57 }),
            bytes[digitCount...].allSatisfy({ $0 >= 32 && $0 < 127 })
        else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let d = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(d[Int(byte >> 4)])
            out.append(d[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: b - 48
        case 97...102: b - 87
        case 65...70: b - 55
        default: nil
        }
    }
}

/// Fixed-width base62 of unsigned integers, alphabet `0-9a-zA-Z` (the original's, for both
/// its integer and its byte-string halves).
enum Base62 {
    static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)

    /// `value` in `width` characters, zero-padded on the left (`width` must be enough).
    static func encode(_ value: UInt64, width: Int) -> String {
        var out = [UInt8](repeating: alphabet[0], count: width)
        var v = value
        var i = width - 1
        while v > 0 && i >= 0 {
            out[i] = alphabet[Int(v % 62)]
            v /= 62
            i -= 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The value of `chars`, or nil for a character outside the alphabet or an overflow.
    static func decode(_ chars: ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for c in chars {
            let d: UInt8
            switch c {
            case 48...57: d = c - 48
            case 97...122: d = c - 97 + 10
            case 65...90: d = c - 65 + 36
            default: return nil
            }
            let (m, o1) = value.multipliedReportingOverflow(by: 62)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            value = s
        }
        return value
    }
}

extension Int64 {
    /// The value of ASCII decimal digits; nil for anything else.
    init?(decimal digits: ArraySlice<UInt8>) {
        var value: Int64 = 0
        for d in digits {
            guard d >= 48 && d <= 57 else { return nil }
            value = value * 10 + Int64(d - 48)
        }
        self = value
    }
}
