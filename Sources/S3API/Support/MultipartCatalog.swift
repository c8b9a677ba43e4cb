import Data
import Metadata

/// Where multipart uploads and their parts live inside a bucket's namespace (see the drawing
/// in `ObjectCatalog`):
///
/// ```
/// namespace "b/<bucket uid>"
///   "U" + key + 0x00 + uploadID          → MultipartUpload (listed by ListMultipartUploads)
///   "P" + uploadID + 0x00 + "00042"      → PartRecord of part 42 (listed by ListParts)
/// namespace "__refs"
///   location + 0x00 + dataKey             → each part's data, from its part record's batch
/// ```
/// Upload IDs are 48 lowercase hex digits: 8 bytes of initiation time in milliseconds, then
/// 16 random bytes. They hold no 0x00 and sort in initiation order, which is the order S3
/// lists several uploads of one key in.
package enum MultipartCatalog {
    static let uploadTag = UInt8(ascii: "U")
    static let partTag = UInt8(ascii: "P")

    /// Serialise part commits, completion and abort of one upload (keyed by upload ID). A lock
    /// table apart from the object key locks, because completion takes both.
    static let locks = KeyLocks(count: 256)

    /// Part numbers S3 accepts.
    static let partNumbers = 1...10_000

    /// Smallest size of every part but the last of a completed upload: 5 MiB.
    static let minimumPartSize: Int64 = 5 << 20

    /// Largest part: 5 GiB.
    static let maximumPartSize: Int64 = 5 << 30

    /// A fresh upload ID.
    static func newUploadID(now: Int64 = HTTPDate.nowMilliseconds()) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = (0..<8).map {
            UInt8(truncatingIfNeeded: UInt64(bitPattern: now) >> (56 - 8 * $0))
        }
        for _ in 0..<16 { bytes.append(generator.next()) }
        return bytes.map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 15)]], as: UTF8.self)
        }.joined()
    }

    /// The key of an upload record.
    static func uploadKey(key: String, uploadID: String) -> [UInt8] {
        [uploadTag] + Array(key.utf8) + [0] + Array(uploadID.utf8)
    }

    /// Every part key of `uploadID` starts with this.
    static func partsPrefix(uploadID: String) -> [UInt8] {
        [partTag] + Array(uploadID.utf8) + [0]
    }

    /// The key of a part record.
    static func partKey(uploadID: String, partNumber: Int) -> [UInt8] {
        let digits = String(partNumber)
        return partsPrefix(uploadID: uploadID)
            + Array((String(repeating: "0", count: max(0, 5 - digits.count)) + digits).utf8)
    }

    /// The upload `uploadID` of `key`, or nil (never created, completed or aborted).
    static func loadUpload(_ store: any MetadataStore, bucket: BucketInfo, key: String, uploadID: String)
        throws(S3Error) -> MultipartUpload?
    {
        // An upload ID with 0x00 could reach other records' keys.
        guard !uploadID.isEmpty, !uploadID.utf8.contains(0) else { return nil }
        let value: [UInt8]?
        do {
            value = try store.get(
                BucketCatalog.objectNamespace(bucket), uploadKey(key: key, uploadID: uploadID))
        } catch {
            throw S3Error(error)
        }
        guard let value else { return nil }
        return try Records.decode(MultipartUpload.self, value)
    }

    /// One part of an upload, or nil.
    static func loadPart(_ store: any MetadataStore, bucket: BucketInfo, uploadID: String, partNumber: Int)
        throws(S3Error) -> PartRecord?
    {
        let value: [UInt8]?
        do {
            value = try store.get(
                BucketCatalog.objectNamespace(bucket), partKey(uploadID: uploadID, partNumber: partNumber))
        } catch {
            throw S3Error(error)
        }
        guard let value else { return nil }
        return try Records.decode(PartRecord.self, value)
    }

    /// Up to `limit` parts of an upload numbered above `marker`, in part number order.
    static func loadParts(
        _ store: any MetadataStore, bucket: BucketInfo, uploadID: String, after marker: Int = 0,
        limit: Int = Int.max
    ) throws(S3Error) -> [PartRecord] {
        var parts: [PartRecord] = []
        if limit <= 0 { return parts }
        let prefix = partsPrefix(uploadID: uploadID)
        let start = marker > 0 ? partKey(uploadID: uploadID, partNumber: marker) + [0] : prefix
        do {
            try store.scan(BucketCatalog.objectNamespace(bucket), from: start, to: prefixEnd(prefix)) {
                _, value in
                parts.append(try Records.decode(PartRecord.self, value))
                return parts.count >= limit ? .stop : .next
            }
        } catch {
            throw S3Error(error)
        }
        return parts
    }

    /// The part number of a request's `partNumber` query parameter.
    /// - Throws: `S3Error.invalidArgument` unless it is an integer in 1...10000.
    static func partNumber(_ value: String?) throws(S3Error) -> Int {
        guard let value, let number = Int(value), partNumbers.contains(number) else {
            throw S3Error.invalidArgument.with(
                message: "Part number must be an integer between 1 and 10000, inclusive"
            )
            .with("ArgumentName", "partNumber").with("ArgumentValue", value ?? "")
        }
        return number
    }
}
