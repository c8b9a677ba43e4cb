import COpenSSL

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): `x-amz-checksum-crc32c`.
///
/// Uses the CPU's crc32 instruction when there is one (SSE4.2), slice-by-8 tables otherwise.
/// Finalizes to 4 big-endian bytes.
package final class CRC32C: Hasher {
    private var crc: UInt32 = 0xFFFF_FFFF

    package init() {}

    static let table = ReflectedCRCTable<UInt32>(polynomial: 0x82F6_3B78)
    static let hasInstruction = cs_has_crc32c_instruction() != 0

    package func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if Self.hasInstruction {
            crc = cs_crc32c_update(crc, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        } else {
            crc = Self.table.update(crc, bytes)
        }
    }

    /// The table-driven path alone, for tests on machines with the instruction.
    func updateWithTable(_ bytes: UnsafeRawBufferPointer) { crc = Self.table.update(crc, bytes) }

    /// The checksum so far as a number.
    package var value: UInt32 { ~crc }

    package func finalize() -> [UInt8] { bigEndianBytes(value) }
}
