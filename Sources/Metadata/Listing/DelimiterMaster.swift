/// ListObjects on a bucket that has (ever had) versioning: one entry per live key, its master,
/// with `Delimiter`'s prefix, delimiter, marker and max-keys rules.
///
/// The original's DelimiterMaster (docs 7.3; Arsenal `lib/algos/list/delimiterMaster`) walks
/// the manual's interleaved layout, where each master `key` is followed by its versions
/// `key 0x00 id`. Its contract: list each key's master once and never a version key; pass
/// over a master that is a delete marker, without counting it or rolling its prefix up; take
/// the next version in place of a placeholder master (`isPHD`) left by a version delete.
///
/// In this layout (`VersionedLayout`) the last two happen at write time: the batch that makes
/// a delete marker the latest version removes the master, and the batch that deletes the
/// version a master copies writes the next version as the master. So the master range holds
/// neither a delete marker nor a placeholder, and no value needs reading here. What remains
/// is the first rule: the filter is fed the master range, and should it ever be fed an
/// interleaved range (the manual's layout, which the tests replay from the LIST example of
/// docs 7.1.3), it steps over all the versions of a key in one skip.
package struct DelimiterMaster: ListingFilter {
    private var masters: Delimiter

    /// The parameters of `Delimiter`.
    package init(prefix: [UInt8] = [], delimiter: [UInt8]? = nil, marker: [UInt8]? = nil, maxKeys: Int = 1000)
    {
        masters = Delimiter(prefix: prefix, delimiter: delimiter, marker: marker, maxKeys: maxKeys)
    }

    package var startKey: [UInt8] { masters.startKey }
    package var endKey: [UInt8]? { masters.endKey }

    package mutating func consider(key: [UInt8], value: [UInt8]) -> FilterDecision {
        // Object keys hold no 0x00 (S3 keys are XML text): a key with one is a version.
        if let separator = key.firstIndex(of: 0) {
            return .skip(to: Array(key[..<separator]) + [1])
        }
        return masters.consider(key: key, value: value)
    }

    package func result() -> ListingResult { masters.result() }
}
