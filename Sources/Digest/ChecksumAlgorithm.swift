/// The checksum algorithms S3 clients may ask for (`x-amz-checksum-algorithm`,
/// `x-amz-sdk-checksum-algorithm`), by the names they use.
package enum ChecksumAlgorithm: String, CaseIterable, Sendable {
    case crc32 = "CRC32"
    case crc32c = "CRC32C"
    case crc64nvme = "CRC64NVME"
    case sha1 = "SHA1"
    case sha256 = "SHA256"

    /// Parses a name case-insensitively (`crc32c`, `CRC32C`).
    package init?(name: String) {
        self.init(rawValue: name.uppercased())
    }

    /// A new hasher for the algorithm; its `finalize()` gives the bytes S3 base64-encodes.
    package func makeHasher() -> any Hasher {
        switch self {
        case .crc32: CRC32()
        case .crc32c: CRC32C()
        case .crc64nvme: CRC64NVME()
        case .sha1: SHA1()
        case .sha256: SHA256()
        }
    }

    /// The lower-case name used in header names (`x-amz-checksum-crc32c`).
    package var headerSuffix: String { rawValue.lowercased() }
}
