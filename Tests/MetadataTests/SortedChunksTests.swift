import Testing

@testable import Metadata

/// The chunked sorted structure under `MemoryStore`, against a plain dictionary.
@Suite("SortedChunks")
struct SortedChunksTests {
    @Test("random inserts, replaces and removes match a sorted dictionary", arguments: [1, 2, 3])
    func randomOperations(seed: UInt64) {
        var random = SplitMix(seed: seed)
        var chunks = SortedChunks()
        var reference: [[UInt8]: [UInt8]] = [:]
        for step in 0..<6000 {
            let key =
                (0..<Int(random.next() % 4)).map { _ in UInt8(truncatingIfNeeded: random.next() % 6) } + [
                    UInt8(truncatingIfNeeded: random.next() % 200)
                ]
            if random.next() % 3 == 0 {
                chunks.remove(key)
                reference[key] = nil
            } else {
                chunks.set(key, [UInt8(truncatingIfNeeded: step)])
                reference[key] = [UInt8(truncatingIfNeeded: step)]
            }
        }
        let expected = reference.keys.sorted { compareBytes($0, $1) < 0 }
        var seen: [[UInt8]] = []
        var position = chunks.position(atOrAfter: [])
        while let entry = chunks.entry(at: position) {
            seen.append(entry.key)
            #expect(entry.value == reference[entry.key])
            position = chunks.advance(position)
        }
        #expect(seen == expected)
        #expect(chunks.count == expected.count)
        for key in expected.prefix(100) { #expect(chunks.value(for: key) == reference[key]) }
        let middle = expected[expected.count / 2]
        #expect(chunks.entry(at: chunks.position(atOrAfter: middle))?.key == middle)
    }

    @Test("a copy is a snapshot that later writes do not change")
    func copyOnWrite() {
        var chunks = SortedChunks()
        for index in 0..<2000 { chunks.set(b(String(format4(index))), b("old")) }
        let snapshot = chunks
        for index in 0..<2000 where index % 2 == 0 { chunks.remove(b(String(format4(index)))) }
        chunks.set(b("0001"), b("new"))
        #expect(snapshot.count == 2000)
        #expect(snapshot.value(for: b("0001")) == b("old"))
        #expect(chunks.count == 1000)
    }
}

/// A small deterministic generator, so failures replay.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// `index` as four decimal digits, so that string order is numeric order.
func format4(_ index: Int) -> String {
    let digits = String(index)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
