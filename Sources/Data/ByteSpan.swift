/// The part of a stored piece of data that a `get` reads.
struct ByteSpan: Equatable {
    var offset: Int64
    var length: Int64

    /// Resolves `range` (inclusive bounds, as the protocol takes it) against the stored size.
    /// The caller has already fitted client ranges to the object, so a range outside the data
    /// means the metadata and the data disagree.
    /// - Throws: `DataError.io` when `range` is not inside `0..<size`.
    init(_ range: ClosedRange<Int64>?, storedSize size: Int64) throws(DataError) {
        guard let range else {
            self.offset = 0
            self.length = size
            return
        }
        guard range.lowerBound >= 0, range.upperBound < size else {
            throw .io("range \(range.lowerBound)-\(range.upperBound) outside the stored size \(size)")
        }
        self.offset = range.lowerBound
        self.length = range.upperBound - range.lowerBound + 1
    }
}
