/// What a listing filter wants after considering one entry.
package enum FilterDecision: Sendable, Equatable {
    /// The entry was taken (or passed over); go on with the next one.
    case accept
    /// Nothing before this key (in the filter's key space) can matter: jump to the first
    /// entry >= it. A target not past the current key means the next entry.
    case skip(to: [UInt8])
    /// The listing is complete.
    case end
}

/// A listing algorithm (ListObjects, ListObjectVersions, ListMultipartUploads ...) as a pure
/// filter over entries in key order: the store only feeds it a cursor, and tests feed it
/// arrays. Keys are object keys, without whatever prefix the store keeps them under.
package protocol ListingFilter {
    /// What the listing answers once the filter has seen enough.
    associatedtype Result

    /// The first key the listing can return: scans start here, not at the beginning.
    var startKey: [UInt8] { get }

    /// The end (exclusive) of the keys the listing can return; nil means no bound.
    var endKey: [UInt8]? { get }

    /// Considers the next entry in key order and says where to go on.
    mutating func consider(key: [UInt8], value: [UInt8]) -> FilterDecision

    /// The listing as seen so far (complete once `consider` said `.end` or the keys ran out).
    func result() -> Result
}

extension ListingFilter {
    package var startKey: [UInt8] { [] }
    package var endKey: [UInt8]? { nil }
}

/// Runs `filter` over the entries of `namespace` stored under `keyPrefix`.
///
/// Stored keys are `keyPrefix + objectKey` (the API layer keeps, say, master records under a
/// one-byte prefix); the filter sees object keys only, and its skip targets are moved back
/// under `keyPrefix`. The scan starts at the filter's `startKey`, so a page deep into a big
/// bucket costs the page, not what precedes it.
package func runListing<F: ListingFilter>(
    _ store: any MetadataStore, namespace: String, keyPrefix: [UInt8], filter: inout F
) throws {
    let start = keyPrefix + filter.startKey
    let end = filter.endKey.map { keyPrefix + $0 } ?? prefixEnd(keyPrefix)
    let prefixLength = keyPrefix.count
    try store.scan(namespace, from: start, to: end) { key, value in
        switch filter.consider(key: Array(key[prefixLength...]), value: value) {
        case .accept:
            return .next
        case .skip(let target):
            // The very next possible key needs no seek.
            if target.count == key.count - prefixLength + 1, target.last == 0,
                target.dropLast().elementsEqual(key[prefixLength...])
            {
                return .next
            }
            return .seek(keyPrefix + target)
        case .end:
            return .stop
        }
    }
}
