/// The entries of one namespace in key order, as a list of sorted chunks.
///
/// Each chunk holds at most `maxChunk` entries; a full chunk splits in two, an empty one goes
/// away. Finding a key is two binary searches (over the chunks' first keys, then inside one
/// chunk), and an insert moves at most one chunk's worth of entries plus, on a split, the
/// chunk list: for a million keys about a thousand of each, instead of a million.
///
/// A value type: copying it (a snapshot for a scan) shares every chunk, and a later write
/// copies only the chunk it changes and the chunk list.
struct SortedChunks: Sendable {
    /// One key and its value.
    typealias Entry = (key: [UInt8], value: [UInt8])

    /// Entries a chunk may hold before it splits.
    static let maxChunk = 512

    private var chunks: [[Entry]] = []
    /// Number of entries.
    private(set) var count = 0

    /// A place between entries: chunk number and offset in it.
    struct Position {
        var chunk: Int
        var offset: Int
    }

    var isEmpty: Bool { count == 0 }

    /// The value at `key`, or nil.
    func value(for key: [UInt8]) -> [UInt8]? {
        guard !chunks.isEmpty else { return nil }
        let chunk = chunkIndex(for: key)
        let offset = Self.lowerBound(chunks[chunk], key)
        guard offset < chunks[chunk].count, compareBytes(chunks[chunk][offset].key, key) == 0 else {
            return nil
        }
        return chunks[chunk][offset].value
    }

    /// Inserts or replaces the value at `key`.
    mutating func set(_ key: [UInt8], _ value: [UInt8]) {
        guard !chunks.isEmpty else {
            chunks = [[(key, value)]]
            count = 1
            return
        }
        let chunk = chunkIndex(for: key)
        let offset = Self.lowerBound(chunks[chunk], key)
        if offset < chunks[chunk].count, compareBytes(chunks[chunk][offset].key, key) == 0 {
            chunks[chunk][offset].value = value
            return
        }
        chunks[chunk].insert((key, value), at: offset)
        count += 1
        if chunks[chunk].count > Self.maxChunk {
            let half = chunks[chunk].count / 2
            let upper = Array(chunks[chunk][half...])
            chunks[chunk].removeSubrange(half...)
            chunks.insert(upper, at: chunk + 1)
        }
    }

    /// Removes `key` if present.
    mutating func remove(_ key: [UInt8]) {
        guard !chunks.isEmpty else { return }
        let chunk = chunkIndex(for: key)
        let offset = Self.lowerBound(chunks[chunk], key)
        guard offset < chunks[chunk].count, compareBytes(chunks[chunk][offset].key, key) == 0 else { return }
        chunks[chunk].remove(at: offset)
        count -= 1
        if chunks[chunk].isEmpty { chunks.remove(at: chunk) }
    }

    /// The position of the first entry whose key is >= `key` (possibly the end).
    func position(atOrAfter key: [UInt8]) -> Position {
        guard !chunks.isEmpty else { return Position(chunk: 0, offset: 0) }
        let chunk = chunkIndex(for: key)
        return normalized(Position(chunk: chunk, offset: Self.lowerBound(chunks[chunk], key)))
    }

    /// The entry at `position`, or nil at the end.
    func entry(at position: Position) -> Entry? {
        position.chunk < chunks.count ? chunks[position.chunk][position.offset] : nil
    }

    /// The position after `position`.
    func advance(_ position: Position) -> Position {
        normalized(Position(chunk: position.chunk, offset: position.offset + 1))
    }

    /// Moves a position past the end of a chunk to the start of the next.
    private func normalized(_ position: Position) -> Position {
        var position = position
        while position.chunk < chunks.count && position.offset >= chunks[position.chunk].count {
            position = Position(chunk: position.chunk + 1, offset: 0)
        }
        return position
    }

    /// The last chunk whose first key is <= `key`, or 0 when `key` precedes them all.
    private func chunkIndex(for key: [UInt8]) -> Int {
        var low = 0
        var high = chunks.count
        while low < high {
            let middle = (low + high) / 2
            if compareBytes(chunks[middle][0].key, key) <= 0 { low = middle + 1 } else { high = middle }
        }
        return max(low - 1, 0)
    }

    /// The first offset in `chunk` whose key is >= `key`.
    private static func lowerBound(_ chunk: [Entry], _ key: [UInt8]) -> Int {
        var low = 0
        var high = chunk.count
        while low < high {
            let middle = (low + high) / 2
            if compareBytes(chunk[middle].key, key) < 0 { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
