import CZlib

/// CRC-32 (ISO-HDLC, zlib's): `x-amz-checksum-crc32`. Finalizes to 4 big-endian bytes.
package final class CRC32: Hasher {
    private var crc: UInt = 0

    package init() {}

    package func update(_ bytes: UnsafeRawBufferPointer) {
        guard var base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var count = bytes.count
        // zlib takes a uInt length: feed at most 1 GiB at a time.
        while count > 0 {
            let n = min(count, 1 << 30)
            crc = CZlib.crc32(crc, base, uInt(n))
            base += n
            count -= n
        }
    }

    /// The checksum so far as a number.
    package var value: UInt32 { UInt32(truncatingIfNeeded: crc) }

    package func finalize() -> [UInt8] { bigEndianBytes(value) }
}

/// The bytes of `value`, most significant first, as AWS base64-encodes checksums.
func bigEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    (0..<(T.bitWidth / 8)).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
}
