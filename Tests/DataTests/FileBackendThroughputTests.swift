import Foundation
import HTTP
import Testing

@testable import Data

/// A 1 GiB single-stream put, timed. Runs only with `DATA_BENCH=1` (too slow for every run);
/// `DATA_BENCH_DIR` picks the disk (default: the system temp dir).
@Suite("FileBackend throughput", .serialized)
struct FileBackendThroughputTests {
    /// Yields `total` bytes in reads of at most 256 KiB, like a busy socket.
    final class PatternSource: ByteSource {
        private let pattern = randomBytes(1 << 20)
        private var left: Int

        init(total: Int) { left = total }

        func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            let n = min(buffer.count, left, 256 << 10)
            if n == 0 { return 0 }
            pattern.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
            left -= n
            return n
        }
    }

    @Test(
        "a 1 GiB put streams at disk speed",
        .enabled(if: ProcessInfo.processInfo.environment["DATA_BENCH"] == "1"),
        arguments: [Int64(1 << 30), nil])
    func oneGiB(declared: Int64?) throws {
        let parent = ProcessInfo.processInfo.environment["DATA_BENCH_DIR"] ?? NSTemporaryDirectory()
        let root = parent + "/databench-\(RandomKey.make())"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let backend = FileBackend(root: root, locationName: "bench")
        let start = ContinuousClock.now
        let location = try backend.put(PatternSource(total: 1 << 30), size: declared, object: .unique())
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "1 GiB put (size \(declared.map(String.init) ?? "unknown")): \(Int(Double(1 << 30) / seconds / 1e6)) MB/s"
        )
        #expect(location.size == 1 << 30)
    }
}
