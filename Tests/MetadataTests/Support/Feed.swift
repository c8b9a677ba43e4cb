@testable import Metadata

/// Feeds `keys` (any order) to `filter` the way a store scan does, each with the value
/// `"v:" + key`; returns how many entries the filter was shown.
@discardableResult
func feed<F: ListingFilter>(_ filter: inout F, _ keys: [String]) -> Int {
    feed(&filter, keys.map(b))
}

@discardableResult
func feed<F: ListingFilter>(_ filter: inout F, _ keys: [[UInt8]]) -> Int {
    let sorted = keys.sorted { compareBytes($0, $1) < 0 }
    func lowerBound(_ key: [UInt8]) -> Int {
        sorted.firstIndex { compareBytes($0, key) >= 0 } ?? sorted.count
    }
    var visits = 0
    var index = lowerBound(filter.startKey)
    while index < sorted.count {
        let key = sorted[index]
        if let end = filter.endKey, compareBytes(key, end) >= 0 { break }
        visits += 1
        switch filter.consider(key: key, value: b("v:") + key) {
        case .accept: index += 1
        case .skip(let target): index = max(index + 1, lowerBound(target))
        case .end: return visits
        }
    }
    return visits
}
