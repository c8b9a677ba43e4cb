#if canImport(Glibc)
    import Glibc
#endif

/// A connection's input bytes: `[start, end)` of a malloc'd block that is allocated on the first
/// read and freed while the connection idles, so idle keep-alive connections cost almost nothing.
///
/// Not thread-safe; it moves with its connection.
struct ReadBuffer {
    /// Size of a fresh block; a request head usually fits.
    static let initialCapacity = 8 * 1024

    private(set) var base: UnsafeMutableRawPointer?
    private(set) var capacity = 0
    private(set) var start = 0
    private(set) var end = 0

    /// Bytes received and not consumed yet.
    var count: Int { end - start }
    var isEmpty: Bool { start == end }

    /// The unconsumed bytes.
    var readable: UnsafeRawBufferPointer {
        guard let base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + start, count: end - start)
    }

    /// Space to receive into, making some first: compacts, then grows up to `maxCapacity`. Empty
    /// when the buffer is full at `maxCapacity`.
    mutating func writable(maxCapacity: Int) -> UnsafeMutableRawBufferPointer {
        if base == nil {
            capacity = min(Self.initialCapacity, maxCapacity)
            base = malloc(capacity)
            precondition(base != nil, "out of memory")
            start = 0
            end = 0
        }
        if end == capacity && start > 0 {
            memmove(base!, base! + start, end - start)
            end -= start
            start = 0
        }
        if end == capacity && capacity < maxCapacity {
            capacity = min(capacity * 2, maxCapacity)
            base = realloc(base, capacity)
            precondition(base != nil, "out of memory")
        }
        return UnsafeMutableRawBufferPointer(start: base! + end, count: capacity - end)
    }

    /// Records `n` bytes received into `writable`.
    mutating func didWrite(_ n: Int) { end += n }

    /// Drops `n` bytes from the front.
    mutating func consume(_ n: Int) {
        start += n
        if start == end {
            start = 0
            end = 0
        }
    }

    /// Frees the block if nothing is pending in it.
    mutating func releaseIfEmpty() {
        if isEmpty { release() }
    }

    /// Frees the block, dropping any pending bytes.
    mutating func release() {
        free(base)
        base = nil
        capacity = 0
        start = 0
        end = 0
    }
}
