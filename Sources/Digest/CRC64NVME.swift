/// CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5, init and xor-out all ones):
/// `x-amz-checksum-crc64nvme`. Finalizes to 8 big-endian bytes.
package final class CRC64NVME: Hasher {
    private var crc: UInt64 = ~0

    package init() {}

    static let table = ReflectedCRCTable<UInt64>(polynomial: 0x9A6C_9329_AC4B_C9B5)

    package func update(_ bytes: UnsafeRawBufferPointer) { crc = Self.table.update(crc, bytes) }

    /// The checksum so far as a number.
    package var value: UInt64 { ~crc }

    package func finalize() -> [UInt8] { bigEndianBytes(value) }
}
