/// A `Range: bytes=...` request header, resolved against an object's size.
enum ByteRange {
    /// The inclusive range to send, nil to send the whole object (no header, or a header S3
    /// ignores: another unit, several ranges, bad syntax).
    /// - Throws: `S3Error.invalidRange` when the range starts past the end.
    static func resolve(_ header: String?, size: Int64) throws(S3Error) -> ClosedRange<Int64>? {
        guard let header, header.hasPrefix("bytes=") else { return nil }
        let spec = header.dropFirst(6).trimmingCharacters()
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash]
        let last = spec[spec.index(after: dash)...]
        let unsatisfiable = S3Error.invalidRange.with("RangeRequested", header).with(
            "ActualObjectSize", "\(size)")
        if first.isEmpty {
            guard let suffix = Int64(last), suffix >= 0 else { return nil }
            if suffix == 0 || size == 0 { throw unsatisfiable }
            return max(0, size - suffix)...(size - 1)
        }
        guard let start = Int64(first), start >= 0 else { return nil }
        if start >= size { throw unsatisfiable }
        if last.isEmpty { return start...(size - 1) }
        guard let end = Int64(last), end >= start else { return nil }
        return start...min(end, size - 1)
    }
}
