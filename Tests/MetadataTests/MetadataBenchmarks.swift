import Foundation
import Synchronization
import Testing

@testable import Metadata

/// Timings printed for the record (no assertions on time). Run with
/// `METADATA_BENCHMARK=1 swift test --filter MetadataBenchmarks`.
@Suite("Metadata benchmarks", .enabled(if: ProcessInfo.processInfo.environment["METADATA_BENCHMARK"] != nil))
struct MetadataBenchmarks {
    @Test(
        "a 1,000-key page and a point read cost the same in 1,000 and 1,000,000 keys",
        arguments: StoreKind.allCases)
    func pageCostIndependentOfSize(kind: StoreKind) throws {
        let store = try kind.make()
        let clock = ContinuousClock()
        let load = try clock.measure {
            try fill(store, "small", count: 1_000)
            try fill(store, "big", count: 1_000_000)
        }
        print("[\(kind)] loaded 1,001,000 keys in \(load)")
        for namespace in ["small", "big"] {
            let count = namespace == "small" ? 1_000 : 1_000_000
            var random = SplitMix(seed: 7)
            var listed = 0
            let pages = try clock.measure {
                for _ in 0..<100 {
                    let start = key(Int(random.next() % UInt64(count)))
                    listed += try store.list(namespace, prefix: b("obj"), from: start, limit: 1000).count
                }
            }
            let reads = try clock.measure {
                for _ in 0..<10_000 {
                    _ = try store.get(namespace, key(Int(random.next() % UInt64(count))))
                }
            }
            var filter = Delimiter(prefix: b("obj"), maxKeys: 1000)
            let listing = try clock.measure {
                try runListing(store, namespace: namespace, keyPrefix: [], filter: &filter)
            }
            print(
                "[\(kind)] \(namespace) (\(count) keys): list page of up to 1000 = \(pages / 100) (\(listed) entries over 100 pages), "
                    + "point read = \(reads / 10_000), Delimiter page of 1000 = \(listing)")
        }
    }

    @Test("64 concurrent writers commit far more than one fsync at a time would allow")
    func groupCommitThroughput() throws {
        let directory = TemporaryDirectory()
        let store = try SQLiteStore(directory: directory.path)
        defer { store.close() }
        let clock = ContinuousClock()
        let serial = try clock.measure {
            for index in 0..<200 { try store.put("serial", key(index), b("value")) }
        }
        let serialRate = 200 / seconds(serial)
        let before = store.writerStatistics
        let concurrent = clock.measure {
            onThreads(64) { thread in
                for index in 0..<50 { try? store.put("concurrent", b("\(thread)/") + key(index), b("value")) }
            }
        }
        let after = store.writerStatistics
        let rate = 3200 / seconds(concurrent)
        let transactions = after.transactions - before.transactions
        print(
            "[sqlite] 1 writer: \(Int(serialRate)) commits/s (one fsync each); 64 writers: \(Int(rate)) commits/s, "
                + "3200 batches in \(transactions) transactions (\(3200 / max(transactions, 1)) per fsync)")
        #expect(try everything(store, "concurrent").count == 3200)
    }

    private func fill(_ store: any MetadataStore, _ namespace: String, count: Int) throws {
        var index = 0
        while index < count {
            let end = min(index + 50_000, count)
            try store.commit(
                (index..<end).map { .put(namespace: namespace, key: key($0), value: b("{\"size\":\($0)}")) })
            index = end
        }
    }

    private func key(_ index: Int) -> [UInt8] {
        let digits = String(index)
        return b("obj" + String(repeating: "0", count: 7 - digits.count) + digits)
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
