/// The order in which the Blob service sorts `x-ms-` header names when it checks a SharedKey
/// signature: not byte order but a culture-insensitive collation, in which `-` is ignored at
/// the first level and letters compare without case (so `x-ms-meta-a_b` sorts before
/// `x-ms-meta-a1`, and `x-ms-meta-ab` before `x-ms-meta-a-c`). The weights are those of the
/// Azure SDKs' emulation of the service (Python `_storage_header_sort`) for ASCII; names this
/// backend sends are ASCII.
enum AzureHeaderOrder {
    /// Whether header name `a` sorts before `b`.
    static func precedes(_ a: String, _ b: String) -> Bool { compare(Array(a.utf8), Array(b.utf8)) < 0 }

    /// -1, 0 or 1. Level 0 compares the primary weights, skipping characters of weight 0; level
    /// 1 then compares the weights of those ignorable characters (`-`, `'`).
    static func compare(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        let tables = [primary, ignorable]
        var level = 0
        var i = 0
        var j = 0
        while level < tables.count {
            if level == tables.count - 1 && i != j { return i > j ? -1 : 1 }
            let w1 = i < lhs.count ? weight(tables[level], lhs[i]) : 1
            let w2 = j < rhs.count ? weight(tables[level], rhs[j]) : 1
            if w1 == 1 && w2 == 1 {
                i = 0
                j = 0
                level += 1
            } else if w1 == w2 {
                i += 1
                j += 1
            } else if w1 == 0 {
                i += 1
            } else if w2 == 0 {
                j += 1
            } else {
                return w1 < w2 ? -1 : 1
            }
        }
        return 0
    }

    private static func weight(_ table: [UInt16], _ byte: UInt8) -> UInt16 {
        Int(byte) < table.count ? table[Int(byte)] : 0
    }

    /// First-level weights of ASCII 0...127; 0 for characters ignored at this level.
    private static let primary: [UInt16] = [
        0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
        0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
        0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x71c, 0x0, 0x71f, 0x721, 0x723, 0x725,
        0x0, 0x0, 0x0, 0x72d, 0x803, 0x0, 0x0, 0x733, 0x0, 0xd03, 0xd1a, 0xd1c, 0xd1e,
        0xd20, 0xd22, 0xd24, 0xd26, 0xd28, 0xd2a, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
        0xe02, 0xe09, 0xe0a, 0xe1a, 0xe21, 0xe23, 0xe25, 0xe2c, 0xe32, 0xe35, 0xe36, 0xe48, 0xe51,
        0xe70, 0xe7c, 0xe7e, 0xe89, 0xe8a, 0xe91, 0xe99, 0xe9f, 0xea2, 0xea4, 0xea6, 0xea7, 0xea9,
        0x0, 0x0, 0x0, 0x743, 0x744, 0x748, 0xe02, 0xe09, 0xe0a, 0xe1a, 0xe21, 0xe23, 0xe25,
        0xe2c, 0xe32, 0xe35, 0xe36, 0xe48, 0xe51, 0xe70, 0xe7c, 0xe7e, 0xe89, 0xe8a, 0xe91, 0xe99,
        0xe9f, 0xea2, 0xea4, 0xea6, 0xea7, 0xea9, 0x0, 0x74c, 0x0, 0x750, 0x0,
    ]

    /// Second-level weights: only `'` and `-`, the characters the first level skips.
    private static let ignorable: [UInt16] = {
        var table = [UInt16](repeating: 0, count: 128)
        table[0x27] = 0x8012
        table[0x2D] = 0x8212
        return table
    }()
}
