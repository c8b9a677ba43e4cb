@testable import Metadata

/// Feeds `keys` (any order) to `filter` the way a store scan does, each with the value
/// `"v:" + key`; returns how many entries the filter was shown.
@discardableResult
func feed<F: ListingFilter>(_ filter: inout F, _ keys: [String]) -> Int {
    feed(&filter, keys.map(b))
}

@discardableResult
func feed<F: ListingFilter>(_ filter: inout F, _ keys: [[UInt8]]) -> Int {
    feed(&filter, entries: keys.map { ($0, b("v:") + $0) })
}

/// Feeds `entries` (any order) to `filter` the way a store scan does.
@discardableResult
func feed<F: ListingFilter>(_ filter: inout F, entries: [(key: [UInt8], value: [UInt8])]) -> Int {
    let sorted = entries.sorted { compareBytes($0.key, $1.key) < 0 }
    func lowerBound(_ key: [UInt8]) -> Int {
        sorted.firstIndex { compareBytes($0.key, key) >= 0 } ?? sorted.count
    }
    var visits = 0
    var index = lowerBound(filter.startKey)
    while index < sorted.count {
        let entry = sorted[index]
        if let end = filter.endKey, compareBytes(entry.key, end) >= 0 { break }
        visits += 1
        switch filter.consider(key: entry.key, value: entry.value) {
        case .accept: index += 1
        case .skip(let target): index = max(index + 1, lowerBound(target))
        case .end: return visits
        }
    }
    return visits
}
