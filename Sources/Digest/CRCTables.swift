/// Slice-by-8 lookup tables for reflected CRCs, and the loops that use them.
///
/// Table `k` (of 8) maps a byte to its contribution `k` bytes further back, so eight input
/// bytes fold into the register with eight lookups and no per-byte shifting.
struct ReflectedCRCTable<Register: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    /// 8 × 256 entries, table-major.
    let entries: [Register]

    init(polynomial: Register) {
        var entries = [Register](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var crc = Register(i)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1 }
            entries[i] = crc
        }
        for k in 1..<8 {
            for i in 0..<256 {
                let previous = entries[(k - 1) * 256 + i]
                entries[k * 256 + i] = (previous >> 8) ^ entries[Int(truncatingIfNeeded: previous & 0xff)]
            }
        }
        self.entries = entries
    }
}

extension ReflectedCRCTable where Register == UInt32 {
    /// Advances the raw register `crc` over `bytes`.
    func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return crc }
        var crc = crc
        var offset = 0
        let count = bytes.count
        entries.withUnsafeBufferPointer { t in
            while count - offset >= 8 {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                let one = UInt32(truncatingIfNeeded: word) ^ crc
                let two = UInt32(truncatingIfNeeded: word >> 32)
                crc =
                    t[7 * 256 + Int(one & 0xff)] ^ t[6 * 256 + Int((one >> 8) & 0xff)]
                    ^ t[5 * 256 + Int((one >> 16) & 0xff)] ^ t[4 * 256 + Int(one >> 24)]
                    ^ t[3 * 256 + Int(two & 0xff)] ^ t[2 * 256 + Int((two >> 8) & 0xff)]
                    ^ t[1 * 256 + Int((two >> 16) & 0xff)] ^ t[Int(two >> 24)]
                offset += 8
            }
            while offset < count {
                let byte = base.load(fromByteOffset: offset, as: UInt8.self)
                crc = (crc >> 8) ^ t[Int((crc ^ UInt32(byte)) & 0xff)]
                offset += 1
            }
        }
        return crc
    }
}

extension ReflectedCRCTable where Register == UInt64 {
    /// Advances the raw register `crc` over `bytes`.
    func update(_ crc: UInt64, _ bytes: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = bytes.baseAddress else { return crc }
        var crc = crc
        var offset = 0
        let count = bytes.count
        entries.withUnsafeBufferPointer { t in
            while count - offset >= 8 {
                let v =
                    crc ^ UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                crc =
                    t[7 * 256 + Int(v & 0xff)] ^ t[6 * 256 + Int((v >> 8) & 0xff)]
                    ^ t[5 * 256 + Int((v >> 16) & 0xff)] ^ t[4 * 256 + Int((v >> 24) & 0xff)]
                    ^ t[3 * 256 + Int((v >> 32) & 0xff)] ^ t[2 * 256 + Int((v >> 40) & 0xff)]
                    ^ t[1 * 256 + Int((v >> 48) & 0xff)] ^ t[Int(v >> 56)]
                offset += 8
            }
            while offset < count {
                let byte = base.load(fromByteOffset: offset, as: UInt8.self)
                crc = (crc >> 8) ^ t[Int((crc ^ UInt64(byte)) & 0xff)]
                offset += 1
            }
        }
        return crc
    }
}
