/// One object of a listing: its key and its stored record.
package struct ListingEntry: Sendable, Equatable {
    package var key: [UInt8]
    package var value: [UInt8]

    package init(key: [UInt8], value: [UInt8]) {
        self.key = key
        self.value = value
    }
}

/// A page of ListObjects (V1 or V2), in S3's terms; keys are raw bytes (UTF-8 object keys).
package struct ListingResult: Sendable, Equatable {
    /// `Contents`: the keys without a delimiter after the prefix, in order.
    package var contents: [ListingEntry] = []
    /// `CommonPrefixes`: each distinct prefix up to and including the first delimiter after
    /// `Prefix`, in order; each counts toward MaxKeys like a key.
    package var commonPrefixes: [[UInt8]] = []
    /// `IsTruncated`: more keys or common prefixes follow this page.
    package var isTruncated = false
    /// `NextMarker` of ListObjects V1: only when truncated and a delimiter was given (S3 leaves
    /// it out otherwise; clients then use the last key), the last key or prefix returned.
    package var nextMarker: [UInt8]?
    /// Where the next page starts when truncated, with or without a delimiter: the last key or
    /// common prefix returned. The V2 `NextContinuationToken` encodes it.
    package var nextContinuationMarker: [UInt8]?

    package init() {}
}
