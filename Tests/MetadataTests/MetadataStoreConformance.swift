import Synchronization
import Testing

@testable import Metadata

/// The contract of `MetadataStore`, run on every implementation.
@Suite("MetadataStore conformance")
struct MetadataStoreConformance {
    @Test("a put value reads back, a missing key reads as nil", arguments: StoreKind.allCases)
    func putAndGet(kind: StoreKind) throws {
        let store = try kind.make()
        try store.put("ns", b("key"), b("value"))
        #expect(try store.get("ns", b("key")) == b("value"))
        #expect(try store.get("ns", b("other")) == nil)
        #expect(try store.get("other-ns", b("key")) == nil)
    }

    @Test("a put replaces the previous value", arguments: StoreKind.allCases)
    func overwrite(kind: StoreKind) throws {
        let store = try kind.make()
        try store.put("ns", b("key"), b("one"))
        try store.put("ns", b("key"), b("two"))
        #expect(try store.get("ns", b("key")) == b("two"))
        #expect(try everything(store, "ns") == [b("key")])
    }

    @Test("a delete removes the key and deleting a missing key is no error", arguments: StoreKind.allCases)
    func delete(kind: StoreKind) throws {
        let store = try kind.make()
        try store.put("ns", b("key"), b("value"))
        try store.delete("ns", b("key"))
        #expect(try store.get("ns", b("key")) == nil)
        try store.delete("ns", b("key"))
        try store.delete("never", b("key"))
    }

    @Test("empty keys and empty values are stored as such", arguments: StoreKind.allCases)
    func emptyBytes(kind: StoreKind) throws {
        let store = try kind.make()
        try store.put("ns", [], [])
        try store.put("ns", [0], b("zero"))
        #expect(try store.get("ns", []) == [])
        #expect(try everything(store, "ns") == [[], [0]])
    }

    @Test("a large value reads back intact", arguments: StoreKind.allCases)
    func largeValue(kind: StoreKind) throws {
        let store = try kind.make()
        let value = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try store.put("ns", b("big"), value)
        #expect(try store.get("ns", b("big")) == value)
    }

    @Test("a batch applies its operations in order", arguments: StoreKind.allCases)
    func batchOrder(kind: StoreKind) throws {
        let store = try kind.make()
        try store.commit([
            .put(namespace: "ns", key: b("a"), value: b("1")),
            .put(namespace: "ns", key: b("a"), value: b("2")),
            .put(namespace: "ns", key: b("b"), value: b("1")),
            .delete(namespace: "ns", key: b("b")),
            .put(namespace: "other", key: b("c"), value: b("1")),
        ])
        #expect(try store.get("ns", b("a")) == b("2"))
        #expect(try store.get("ns", b("b")) == nil)
        #expect(try store.get("other", b("c")) == b("1"))
    }

    @Test("a batch that fails changes nothing", arguments: StoreKind.allCases)
    func failingBatch(kind: StoreKind) throws {
        let store = try kind.make(limits: MetadataLimits(maxKeyBytes: 64, maxValueBytes: 16))
        try store.put("ns", b("kept"), b("old"))
        #expect(throws: MetadataError.self) {
            try store.commit([
                .put(namespace: "ns", key: b("kept"), value: b("new")),
                .delete(namespace: "ns", key: b("kept")),
                .put(namespace: "ns", key: b("fresh"), value: b("x")),
                .put(namespace: "ns", key: b("huge"), value: [UInt8](repeating: 1, count: 17)),
            ])
        }
        #expect(throws: MetadataError.self) {
            try store.put("ns", [UInt8](repeating: 7, count: 65), b("x"))
        }
        #expect(try store.get("ns", b("kept")) == b("old"))
        #expect(try everything(store, "ns") == [b("kept")])
    }

    @Test("a failing batch among concurrent ones fails alone", arguments: StoreKind.allCases)
    func failingBatchAmongOthers(kind: StoreKind) throws {
        let store = try kind.make(limits: MetadataLimits(maxValueBytes: 16))
        let failures = Mutex<[Int]>([])
        onThreads(24) { index in
            let size = index % 8 == 3 ? 17 : 4
            do {
                try store.put("ns", b("k\(index)"), [UInt8](repeating: 1, count: size))
            } catch {
                failures.withLock { $0.append(index) }
            }
        }
        #expect(failures.withLock { $0.sorted() } == [3, 11, 19])
        #expect(try everything(store, "ns").count == 21)
    }

    @Test("keys sort bytewise, 0x00 and 0xFF and prefixes included", arguments: StoreKind.allCases)
    func ordering(kind: StoreKind) throws {
        let store = try kind.make()
        let sorted: [[UInt8]] = [
            [], [0x00], [0x00, 0x00], [0x00, 0x01], [0x01], [0x41], [0x41, 0x00], [0x41, 0x42],
            [0x41, 0x42, 0x43], [0x42], [0x7F], [0x80], [0xFE, 0xFF], [0xFF], [0xFF, 0x00], [0xFF, 0xFF],
        ]
        var shuffled = sorted
        shuffled.shuffle()
        for key in shuffled { try store.put("ns", key, key) }
        #expect(try everything(store, "ns") == sorted)
    }

    @Test("a scan covers from its start (inclusive) to its end (exclusive)", arguments: StoreKind.allCases)
    func scanRange(kind: StoreKind) throws {
        let store = try kind.make()
        for key in ["a", "b", "ba", "c", "d"] { try store.put("ns", b(key), b(key)) }
        var seen: [[UInt8]] = []
        try store.scan("ns", from: b("b"), to: b("d")) { key, value in
            #expect(key == value)
            seen.append(key)
            return .next
        }
        #expect(seen == [b("b"), b("ba"), b("c")])
        seen = []
        try store.scan("ns", from: b("bb"), to: nil) { key, _ in
            seen.append(key)
            return .next
        }
        #expect(seen == [b("c"), b("d")])
        try store.scan("ns", from: b("c"), to: b("b")) { _, _ in
            Issue.record("an empty range visits nothing")
            return .next
        }
    }

    @Test("a scan jumps on seek and ends on stop", arguments: StoreKind.allCases)
    func seekAndStop(kind: StoreKind) throws {
        let store = try kind.make()
        for key in ["a/1", "a/2", "b/1", "b/2", "c/1", "d/1"] { try store.put("ns", b(key), []) }
        var seen: [String] = []
        try store.scan("ns", from: [], to: nil) { key, _ in
            seen.append(String(decoding: key, as: UTF8.self))
            if key == b("a/1") { return .seek(b("b/2")) }
            if key == b("b/2") { return .seek(b("bz")) }
            if key == b("c/1") { return .stop }
            return .next
        }
        #expect(seen == ["a/1", "b/2", "c/1"])
    }

    @Test("a scan sees one snapshot even when writes land during it", arguments: StoreKind.allCases)
    func scanSnapshot(kind: StoreKind) throws {
        let store = try kind.make()
        for key in ["a", "c", "e"] { try store.put("ns", b(key), b("old")) }
        var seen: [String] = []
        try store.scan("ns", from: [], to: nil) { key, value in
            if key == b("a") {
                try store.put("ns", b("b"), b("new"))
                try store.put("ns", b("c"), b("new"))
                try store.delete("ns", b("e"))
            }
            seen.append(String(decoding: key + value, as: UTF8.self))
            return .next
        }
        #expect(seen == ["aold", "cold", "eold"])
        #expect(try everything(store, "ns") == [b("a"), b("b"), b("c")])
    }

    @Test("namespaces are isolated, even when their names prefix each other", arguments: StoreKind.allCases)
    func namespaces(kind: StoreKind) throws {
        let store = try kind.make()
        try store.put("a", b("k"), b("in a"))
        try store.put("ab", b("k"), b("in ab"))
        try store.put("ab", b("l"), b("in ab"))
        #expect(try store.get("a", b("k")) == b("in a"))
        #expect(try everything(store, "a") == [b("k")])
        #expect(try everything(store, "ab") == [b("k"), b("l")])
    }

    @Test("dropping a namespace removes it and nothing else", arguments: StoreKind.allCases)
    func drop(kind: StoreKind) throws {
        let store = try kind.make()
        for index in 0..<100 { try store.put(index % 2 == 0 ? "gone" : "kept", b("k\(index)"), []) }
        try store.dropNamespace("gone")
        try store.dropNamespace("never-existed")
        #expect(try everything(store, "gone").isEmpty)
        #expect(try everything(store, "kept").count == 50)
        try store.put("gone", b("again"), [])
        #expect(try everything(store, "gone") == [b("again")])
    }

    @Test("list pages through a prefix from a start key", arguments: StoreKind.allCases)
    func list(kind: StoreKind) throws {
        let store = try kind.make()
        for key in ["a", "p", "p/1", "p/2", "p/3", "p\u{FF}", "q"] {
            try store.put("ns", b(key), b("v" + key))
        }
        let page = try store.list("ns", prefix: b("p/"), limit: 2)
        #expect(page.map(\.key) == [b("p/1"), b("p/2")])
        #expect(page.map(\.value) == [b("vp/1"), b("vp/2")])
        #expect(
            try store.list("ns", prefix: b("p/"), from: b("p/2"), limit: 10).map(\.key) == [
                b("p/2"), b("p/3"),
            ])
        #expect(try store.list("ns", prefix: b("p"), from: b("a"), limit: 10).count == 5)
        #expect(try store.list("ns", limit: 0).isEmpty)
        #expect(try store.list("ns", prefix: [0xFF], limit: 10).isEmpty)
    }

    @Test("32 threads × 50 commits are all visible afterwards", arguments: StoreKind.allCases)
    func concurrentWriters(kind: StoreKind) throws {
        let store = try kind.make()
        onThreads(32) { thread in
            for index in 0..<50 {
                try? store.commit([
                    .put(namespace: "ns", key: b("t\(thread)/\(index)"), value: b("\(thread)")),
                    .put(namespace: "count", key: b("t\(thread)"), value: b("\(index + 1)")),
                ])
            }
        }
        #expect(try everything(store, "ns").count == 32 * 50)
        for thread in 0..<32 { #expect(try store.get("count", b("t\(thread)")) == b("50")) }
    }

    @Test("readers run beside writers", arguments: StoreKind.allCases)
    func readersAndWriters(kind: StoreKind) throws {
        let store = try kind.make()
        try store.put("ns", b("fixed"), b("v"))
        let misses = Atomic<Int>(0)
        onThreads(8) { thread in
            for index in 0..<40 {
                if thread % 2 == 0 {
                    try? store.put("ns", b("w\(thread)/\(index)"), [])
                } else if (try? store.get("ns", b("fixed"))) != b("v") {
                    misses.add(1, ordering: .relaxed)
                } else {
                    _ = try? store.list("ns", limit: 10)
                }
            }
        }
        #expect(misses.load(ordering: .relaxed) == 0)
        #expect(try everything(store, "ns").count == 1 + 4 * 40)
    }
}
