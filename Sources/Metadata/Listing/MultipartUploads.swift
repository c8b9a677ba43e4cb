/// The ListMultipartUploads listing: in-progress uploads in key order, then upload ID order,
/// with `prefix`, `delimiter` (common prefixes), `key-marker`, `upload-id-marker` and
/// `max-uploads`.
///
/// The filter sees keys of the form `objectKey 0x00 uploadID` (upload IDs never hold 0x00, so
/// the last 0x00 splits a key). Upload IDs are assigned so that their byte order is their
/// initiation order, which is the order S3 lists the uploads of one key in.
///
/// Markers (ListMultipartUploads API reference): with `key-marker` alone, listing starts after
/// every upload of that key; with `upload-id-marker` too, after that upload of that key.
package struct MultipartUploads: ListingFilter {
    private let prefix: [UInt8]
    private let delimiter: [UInt8]?
    private let maxUploads: Int
    package let startKey: [UInt8]
    private var page = MultipartUploadsResult()
    private var returned = 0
    /// The last key or common prefix returned; starts as the common prefix holding the marker.
    private var last: [UInt8]?
    private var lastUploadID: [UInt8]?

    /// - Parameters:
    ///   - prefix: `prefix` (empty: every key).
    ///   - delimiter: `delimiter`; nil or empty means none.
    ///   - keyMarker: `key-marker`.
    ///   - uploadIDMarker: `upload-id-marker`; ignored without `keyMarker`, as S3 does.
    ///   - maxUploads: `max-uploads`, already clamped by the caller to 0...1000.
    package init(
        prefix: [UInt8] = [], delimiter: [UInt8]? = nil, keyMarker: [UInt8]? = nil,
        uploadIDMarker: [UInt8]? = nil, maxUploads: Int = 1000
    ) {
        self.prefix = prefix
        self.delimiter = delimiter?.isEmpty == false ? delimiter : nil
        self.maxUploads = max(maxUploads, 0)
        var start = prefix
        if let marker = keyMarker, !marker.isEmpty {
            // After one upload: just past `marker 0x00 id`; after every upload of the key:
            // `marker 0x01`, the first key above all of `marker 0x00 ...`.
            let afterMarker =
                uploadIDMarker.flatMap { $0.isEmpty ? nil : marker + [0] + $0 + [0] } ?? marker + [1]
            if compareBytes(afterMarker, start) > 0 { start = afterMarker }
            if let delimiter = self.delimiter, marker.hasBytePrefix(prefix),
                let index = marker.firstIndex(of: delimiter, from: prefix.count)
            {
                last = Array(marker[..<(index + delimiter.count)])
            }
        }
        self.startKey = start
    }

    package var endKey: [UInt8]? { prefixEnd(prefix) }

    package mutating func consider(key: [UInt8], value: [UInt8]) -> FilterDecision {
        if maxUploads == 0 { return .end }
        if compareBytes(key, startKey) < 0 { return .skip(to: startKey) }
        guard let separator = key.lastIndex(of: 0) else { return .accept }  // not an upload key
        let objectKey = Array(key[..<separator])
        if !objectKey.hasBytePrefix(prefix) { return .end }
        if let delimiter, let index = objectKey.firstIndex(of: delimiter, from: prefix.count) {
            let commonPrefix = Array(objectKey[..<(index + delimiter.count)])
            if commonPrefix != last {
                guard take() else { return .end }
                page.commonPrefixes.append(commonPrefix)
                last = commonPrefix
                lastUploadID = nil
            }
            return prefixEnd(commonPrefix).map { .skip(to: $0) } ?? .end
        }
        guard take() else { return .end }
        let uploadID = Array(key[(separator + 1)...])
        page.uploads.append(UploadEntry(key: objectKey, uploadID: uploadID, value: value))
        last = objectKey
        lastUploadID = uploadID
        return .accept
    }

    package func result() -> MultipartUploadsResult {
        var result = page
        if result.isTruncated {
            result.nextKeyMarker = last
            result.nextUploadIDMarker = lastUploadID
        }
        return result
    }

    /// Counts one more upload or prefix; false (and truncated) once the page is full.
    private mutating func take() -> Bool {
        if returned >= maxUploads {
            page.isTruncated = true
            return false
        }
        returned += 1
        return true
    }
}

/// One in-progress upload of a ListMultipartUploads page.
package struct UploadEntry: Sendable, Equatable {
    package var key: [UInt8]
    package var uploadID: [UInt8]
    /// The stored upload record.
    package var value: [UInt8]

    package init(key: [UInt8], uploadID: [UInt8], value: [UInt8]) {
        self.key = key
        self.uploadID = uploadID
        self.value = value
    }
}

/// A page of ListMultipartUploads, in S3's terms.
package struct MultipartUploadsResult: Sendable, Equatable {
    /// `Upload` entries, in key order then initiation order.
    package var uploads: [UploadEntry] = []
    /// `CommonPrefixes`, as in ListObjects; each counts toward MaxUploads.
    package var commonPrefixes: [[UInt8]] = []
    /// `IsTruncated`.
    package var isTruncated = false
    /// `NextKeyMarker` when truncated: the last key (or common prefix) returned.
    package var nextKeyMarker: [UInt8]?
    /// `NextUploadIdMarker` when truncated and an upload came last.
    package var nextUploadIDMarker: [UInt8]?

    package init() {}
}
