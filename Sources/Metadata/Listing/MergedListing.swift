/// Runs `filter` over the entries of several key ranges of `namespace` merged into one key
/// order: the entries stored under each of `keyPrefixes`, with that prefix taken off. With the
/// master and version ranges of `VersionedLayout`, the filter sees the manual's interleaved
/// layout: `key`, then `key 0x00 id` for each version, newest first.
///
/// Each range is read in chunks that double from 8 to 1,000 entries while the filter takes
/// them in order, so a short page reads little; a skip drops what is buffered below its
/// target in every range and starts the reads past it, again in small chunks. Each chunk is one store snapshot; a page is not one snapshot as a whole, as an S3
/// listing that runs beside writes is not either.
package func runListing<F: ListingFilter>(
    _ store: any MetadataStore, namespace: String, keyPrefixes: [[UInt8]], filter: inout F
) throws {
    var ranges = keyPrefixes.map { MergedRange(prefix: $0, from: filter.startKey, end: filter.endKey) }
    while true {
        var pick: Int?
        for i in ranges.indices {
            try ranges[i].fill(store, namespace)
            guard let head = ranges[i].head else { continue }
            if let p = pick, let best = ranges[p].head, compareBytes(head.key, best.key) >= 0 { continue }
            pick = i
        }
        guard let p = pick, let entry = ranges[p].head else { return }
        ranges[p].position += 1
        switch filter.consider(key: entry.key, value: entry.value) {
        case .accept:
            continue
        case .skip(let target):
            for i in ranges.indices { ranges[i].skip(to: target) }
        case .end:
            return
        }
    }
}

/// One key range of a merged listing: a buffer of entries (keys without the prefix) and where
/// the next read starts.
private struct MergedRange {
    let prefix: [UInt8]
    let end: [UInt8]?
    var buffer: [(key: [UInt8], value: [UInt8])] = []
    var position = 0
    /// The first key (without the prefix) the next read may return.
    var next: [UInt8]
    var exhausted = false
    var chunk = MergedRange.firstChunk

    static let firstChunk = 8

    init(prefix: [UInt8], from start: [UInt8], end: [UInt8]?) {
        self.prefix = prefix
        self.next = start
        self.end = end
    }

    var head: (key: [UInt8], value: [UInt8])? { position < buffer.count ? buffer[position] : nil }

    /// Reads the next chunk once the buffer is used up.
    mutating func fill(_ store: any MetadataStore, _ namespace: String) throws {
        guard position >= buffer.count, !exhausted else { return }
        buffer.removeAll(keepingCapacity: true)
        position = 0
        let limit = chunk
        var read: [(key: [UInt8], value: [UInt8])] = []
        let prefixLength = prefix.count
        try store.scan(namespace, from: prefix + next, to: end.map { prefix + $0 } ?? prefixEnd(prefix)) {
            key, value in
            read.append((Array(key[prefixLength...]), value))
            return read.count >= limit ? .stop : .next
        }
        buffer = read
        exhausted = read.count < limit
        if let last = read.last { next = last.key + [0] }
        chunk = min(chunk * 2, 1000)
    }

    /// Drops buffered entries below `target` and starts later reads at it.
    mutating func skip(to target: [UInt8]) {
        while let entry = head, compareBytes(entry.key, target) < 0 { position += 1 }
        if head == nil, compareBytes(next, target) < 0 {
            next = target
            chunk = Self.firstChunk
        }
    }
}
