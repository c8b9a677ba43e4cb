import Locks
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Version IDs in the original's format (docs section 7.1.3), generated here and sorting newest
/// first as plain bytes:
///
/// ```
///  0             14      20       27  28
///  ┌─────────────┬───────┬────────┬───┐
///  │ 99999999999999 − ms │ 999999 − seq │ replication group (7) │ u │
///  └─────────────┴───────┴────────┴───┘
///    ms: epoch milliseconds (14 digits)   seq: position within that millisecond (6 digits)
///    u: one character unique to this process, so that two servers sharing metadata
///       never produce the same ID
/// ```
/// Clients see the 28 raw characters hex-encoded (56 characters) or, with
/// `S3_VERSION_ID_ENCODING_TYPE=base62`, as 32 base62 characters:
/// ts (8) + seq (4) + replication group as a 56-bit number (10) + u (10, zero-padded).
/// `null` names the null version and is never an encoded ID.
package struct VersionID: Sendable {
    /// How version IDs are shown to clients.
    package enum Encoding: String, Sendable {
        case hex
        case base62
    }

    static let maxTimestamp: Int64 = 99_999_999_999_999
    static let maxSequence = 999_999
    static let rawLength = 28

    private struct Clock {
        var lastMilliseconds: Int64 = 0
        var sequence = 0
    }

    private static let clock = Locked(Clock())
    private static let unique: UInt8 = {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        return alphabet[Int.random(in: 0..<alphabet.count)]
    }()

    /// A new raw version ID, greater-sorting (older) than none generated before it by this process.
    /// `replicationGroupID` is padded or cut to 7 characters.
    package static func generate(replicationGroupID: String) -> String {
        let (ms, seq) = clock.withLock { state -> (Int64, Int) in
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            let now = Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
            if now > state.lastMilliseconds {
                state.lastMilliseconds = now
                state.sequence = 0
            } else {
                state.sequence += 1
                if state.sequence > maxSequence {  // a billion IDs in one millisecond: borrow the next
                    state.lastMilliseconds += 1
                    state.sequence = 0
                }
            }
            return (state.lastMilliseconds, state.sequence)
        }
        return digits(maxTimestamp - ms, 14) + digits(Int64(maxSequence - seq), 6)
            + group(replicationGroupID) + String(UnicodeScalar(unique))
    }

    /// The replication group field: 7 characters, space-padded.
    static func group(_ id: String) -> String {
        let cut = String(id.prefix(7))
        return cut + String(repeating: " ", count: 7 - cut.count)
    }

    /// The client form of a raw ID.
    package static func encode(_ raw: String, _ encoding: Encoding) -> String {
        switch encoding {
        case .hex:
            return raw.utf8.map { byte in
                let d = Array("0123456789abcdef".utf8)
                return String(decoding: [d[Int(byte >> 4)], d[Int(byte & 0xF)]], as: UTF8.self)
            }.joined()
        case .base62:
            let bytes = Array(raw.utf8)
            guard bytes.count == rawLength, let ts = Int64(String(decoding: bytes[0..<14], as: UTF8.self)),
                let seq = Int64(String(decoding: bytes[14..<20], as: UTF8.self))
            else { return encode(raw, .hex) }
            var group: UInt64 = 0
            for b in bytes[20..<27] { group = group << 8 | UInt64(b) }
            return Base62.encode(UInt64(ts), width: 8) + Base62.encode(UInt64(seq), width: 4)
                + Base62.encode(group, width: 10) + Base62.encode(UInt64(bytes[27]), width: 10)
        }
    }

    /// The raw ID of a client's version ID, trying the configured encoding then the other;
    /// nil when it is neither (S3: 400 InvalidArgument "Invalid version id specified").
    package static func decode(_ text: String, _ encoding: Encoding) -> String? {
        let order: [Encoding] = encoding == .hex ? [.hex, .base62] : [.base62, .hex]
        for e in order {
            if let raw = decodeOnly(text, e) { return raw }
        }
        return nil
    }

    private static func decodeOnly(_ text: String, _ encoding: Encoding) -> String? {
        let chars = Array(text.utf8)
        switch encoding {
        case .hex:
            guard chars.count == rawLength * 2 else { return nil }
            var out: [UInt8] = []
            var i = 0
            while i < chars.count {
                guard let hi = hexValue(chars[i]), let lo = hexValue(chars[i + 1]) else { return nil }
                out.append(hi << 4 | lo)
                i += 2
            }
            return valid(out)
        case .base62:
            guard chars.count == 32, let ts = Base62.decode(chars[0..<8]),
                let seq = Base62.decode(chars[8..<12]),
                let group = Base62.decode(chars[12..<22]), let u = Base62.decode(chars[22..<32]),
                ts <= UInt64(maxTimestamp), seq <= UInt64(maxSequence), u < 256
            else { return nil }
            var groupBytes: [UInt8] = []
            for shift in stride(from: 48, through: 0, by: -8) {
                groupBytes.append(UInt8(truncatingIfNeeded: group >> UInt64(shift)))
            }
            return valid(
                Array(digits(Int64(ts), 14).utf8) + Array(digits(Int64(seq), 6).utf8) + groupBytes + [
                    UInt8(u)
                ])
        }
    }

    /// A raw ID has 20 digits then 8 printable characters.
    private static func valid(_ bytes: [UInt8]) -> String? {
        guard bytes.count == rawLength, bytes[0..<20].allSatisfy({ $0 >= 48 && $0 <= 57 }),
            bytes[20...].allSatisfy({ $0 >= 32 && $0 < 127 })
        else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func digits(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
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

/// Fixed-width base62 of unsigned integers (`0-9a-zA-Z`).
enum Base62 {
    static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)

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

    static func decode(_ chars: ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for c in chars {
            guard let d = alphabet.firstIndex(of: c) else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 62)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            value = s
        }
        return value
    }
}
