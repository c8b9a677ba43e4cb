import Digest

/// The CRC of a concatenation from the CRCs of its pieces and their lengths, for S3's
/// `FULL_OBJECT` multipart checksums (CRC32, CRC32C, CRC64NVME): the object's CRC without
/// reading its bytes again.
///
/// The method is the classic one of zlib's `crc32_combine`: appending `n` zero bytes to a
/// message is a linear map on the CRC register, computed by repeated squaring of the
/// one-zero-bit operator over GF(2); then `crc(a + b) = zeros(crc(a), len(b)) ^ crc(b)`.
/// It holds for reflected CRCs whose initial value and final XOR are equal (all three are).
enum MultipartChecksumCombine {
    /// Reflected polynomial and width of an algorithm; nil for the non-CRC ones.
    static func parameters(_ algorithm: ChecksumAlgorithm) -> (poly: UInt64, width: Int)? {
        switch algorithm {
        case .crc32: (0xEDB8_8320, 32)
        case .crc32c: (0x82F6_3B78, 32)
        case .crc64nvme: (0x9A6C_9329_AC4B_C9B5, 64)
        case .sha1, .sha256: nil
        }
    }

    /// The CRC of the concatenated pieces; `pieces` are (big-endian CRC bytes, length).
    /// Returns nil for a non-CRC algorithm or a malformed CRC.
    static func combine(_ algorithm: ChecksumAlgorithm, _ pieces: [(crc: [UInt8], length: Int64)]) -> [UInt8]?
    {
        guard let (poly, width) = parameters(algorithm) else { return nil }
        var total: UInt64 = 0
        for (index, piece) in pieces.enumerated() {
            guard piece.crc.count == width / 8 else { return nil }
            let value = piece.crc.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            total = index == 0 ? value : combine(total, value, length: piece.length, poly: poly, width: width)
        }
        return (0..<(width / 8)).map { UInt8(truncatingIfNeeded: total >> UInt64(width - 8 - 8 * $0)) }
    }

    /// `crc(a + b)` from `crc(a)`, `crc(b)` and `len(b)`.
    static func combine(_ first: UInt64, _ second: UInt64, length: Int64, poly: UInt64, width: Int) -> UInt64
    {
        if length <= 0 { return first }
        var odd = [UInt64](repeating: 0, count: width)
        odd[0] = poly  // the operator for one zero bit
        var row: UInt64 = 1
        for n in 1..<width {
            odd[n] = row
            row <<= 1
        }
        var even = square(odd)  // two zero bits
        odd = square(even)  // four zero bits
        var crc = first
        var remaining = length
        // The first squaring inside gives one zero byte.
        repeat {
            even = square(odd)
            if remaining & 1 == 1 { crc = times(even, crc) }
            remaining >>= 1
            if remaining == 0 { break }
            odd = square(even)
            if remaining & 1 == 1 { crc = times(odd, crc) }
            remaining >>= 1
        } while remaining != 0
        return crc ^ second
    }

    private static func times(_ matrix: [UInt64], _ vector: UInt64) -> UInt64 {
        var sum: UInt64 = 0
        var vector = vector
        var index = 0
        while vector != 0 {
            if vector & 1 == 1 { sum ^= matrix[index] }
            vector >>= 1
            index += 1
        }
        return sum
    }

    private static func square(_ matrix: [UInt64]) -> [UInt64] {
        matrix.map { times(matrix, $0) }
    }
}
