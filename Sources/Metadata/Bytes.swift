import Glibc

/// memcmp order of two byte strings, the order of every store: negative when `a` sorts
/// first, zero when equal, positive when `b` sorts first; a proper prefix sorts first.
func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
    let common = min(a.count, b.count)
    if common > 0 {
        let order = a.withUnsafeBufferPointer { left in
            b.withUnsafeBufferPointer { right in memcmp(left.baseAddress!, right.baseAddress!, common) }
        }
        if order != 0 { return Int(order) }
    }
    return a.count - b.count
}

extension Array where Element == UInt8 {
    /// True when `self` starts with `prefix`.
    func hasBytePrefix(_ prefix: [UInt8]) -> Bool {
        count >= prefix.count && (prefix.isEmpty || compareBytes(Array(self[..<prefix.count]), prefix) == 0)
    }

    /// The index of the first occurrence of `needle` at or after `start`, or nil.
    func firstIndex(of needle: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, count >= needle.count, start <= count - needle.count else { return nil }
        let first = needle[0]
        var index = start
        while index <= count - needle.count {
            if self[index] == first && self[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
