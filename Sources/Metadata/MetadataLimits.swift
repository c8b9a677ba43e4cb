/// Sizes every store refuses past, so that both stores fail the same batches the same way.
package struct MetadataLimits: Sendable, Equatable {
    /// Largest key of a put, in bytes. Default: 8 KiB (an S3 key is at most 1024 bytes; the
    /// rest leaves room for the prefixes and version suffixes of the key layout).
    package var maxKeyBytes: Int
    /// Largest value of a put, in bytes. Default: 16 MiB (an object record with its ACL, tags
    /// and data locations stays far below).
    package var maxValueBytes: Int

    package init(maxKeyBytes: Int = 8 << 10, maxValueBytes: Int = 16 << 20) {
        self.maxKeyBytes = maxKeyBytes
        self.maxValueBytes = maxValueBytes
    }

    /// Throws `.io` naming the limit when `key` or `value` is too large.
    func check(key: [UInt8], value: [UInt8]) throws(MetadataError) {
        if key.count > maxKeyBytes {
            throw .io("key of \(key.count) bytes exceeds the limit of \(maxKeyBytes) bytes")
        }
        if value.count > maxValueBytes {
            throw .io("value of \(value.count) bytes exceeds the limit of \(maxValueBytes) bytes")
        }
    }
}
