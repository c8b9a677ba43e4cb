/// Fresh names for stored data: 128 random bits as 32 lower-case hex characters.
enum RandomKey {
    private static let digits = Array("0123456789abcdef".utf8)

    /// A new key; collisions are as unlikely as a UUID's.
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let halves = [generator.next() as UInt64, generator.next() as UInt64]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for half in halves {
            for shift in stride(from: 60, through: 0, by: -4) {
                bytes.append(digits[Int((half >> UInt64(shift)) & 0xF)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `bytes` are exactly `count` lower-case hex characters.
    static func isHex<C: Collection<UInt8>>(_ bytes: C, count: Int) -> Bool {
        bytes.count == count
            && bytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
