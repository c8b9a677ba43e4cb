/// ListObjects (V1 and V2) over object keys: `Prefix`, `Delimiter`, a marker and `MaxKeys`.
///
/// Follows S3's documented behaviour (GET Bucket (List Objects) V1 and ListObjectsV2):
/// - only keys starting with `prefix` are listed;
/// - with a delimiter (any byte string, not only "/"), a key holding it after the prefix is
///   rolled up into the common prefix `key[..<end of that first delimiter]`; each distinct
///   common prefix is listed once and counts toward `maxKeys` like a key. Right after one the
///   filter skips past every key under it, so a page costs its size, not the bucket's;
/// - the marker (V1 `marker`; V2 `continuation-token`, else `start-after`) is exclusive; when
///   it lies under a common prefix, that prefix was listed already and is not listed again;
/// - `maxKeys` 0 gives an empty page that is not truncated;
/// - `isTruncated` is set only when another key or prefix was actually found past the page.
package struct Delimiter: ListingFilter {
    package let prefix: [UInt8]
    package let delimiter: [UInt8]?
    package let marker: [UInt8]?
    package let maxKeys: Int

    private var page = ListingResult()
    private var returned = 0
    /// The last key or common prefix returned; starts as the common prefix holding the marker.
    private var last: [UInt8]?

    /// - Parameters:
    ///   - prefix: `Prefix` (empty: every key).
    ///   - delimiter: `Delimiter`; nil or empty means none.
    ///   - marker: V1 `marker`, or V2 `continuation-token` (decoded) or else `start-after`.
    ///   - maxKeys: `MaxKeys`, already clamped by the caller to 0...1000.
    package init(prefix: [UInt8] = [], delimiter: [UInt8]? = nil, marker: [UInt8]? = nil, maxKeys: Int = 1000)
    {
        self.prefix = prefix
        self.delimiter = delimiter?.isEmpty == false ? delimiter : nil
        self.marker = marker?.isEmpty == false ? marker : nil
        self.maxKeys = max(maxKeys, 0)
        if let marker = self.marker, let delimiter = self.delimiter, marker.hasBytePrefix(prefix),
            let index = marker.firstIndex(of: delimiter, from: prefix.count)
        {
            last = Array(marker[..<(index + delimiter.count)])
        }
    }

    package var startKey: [UInt8] {
        guard let marker else { return prefix }
        let afterMarker = marker + [0]
        return compareBytes(afterMarker, prefix) > 0 ? afterMarker : prefix
    }

    package var endKey: [UInt8]? { prefixEnd(prefix) }

    package mutating func consider(key: [UInt8], value: [UInt8]) -> FilterDecision {
        if maxKeys == 0 { return .end }
        if !key.hasBytePrefix(prefix) {
            return compareBytes(key, prefix) < 0 ? .skip(to: prefix) : .end
        }
        if let marker, compareBytes(key, marker) <= 0 { return .skip(to: marker + [0]) }
        if let delimiter, let index = key.firstIndex(of: delimiter, from: prefix.count) {
            let commonPrefix = Array(key[..<(index + delimiter.count)])
            if commonPrefix != last {
                guard take() else { return .end }
                page.commonPrefixes.append(commonPrefix)
                last = commonPrefix
            }
            return prefixEnd(commonPrefix).map { .skip(to: $0) } ?? .end
        }
        guard take() else { return .end }
        page.contents.append(ListingEntry(key: key, value: value))
        last = key
        return .accept
    }

    package func result() -> ListingResult {
        var result = page
        if result.isTruncated {
            result.nextContinuationMarker = last
            if delimiter != nil { result.nextMarker = last }
        }
        return result
    }

    /// Counts one more key or prefix; false (and truncated) once the page is full.
    private mutating func take() -> Bool {
        if returned >= maxKeys {
            page.isTruncated = true
            return false
        }
        returned += 1
        return true
    }
}
