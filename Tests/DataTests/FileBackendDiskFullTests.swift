import Foundation
import HTTP
import Testing

@testable import Data

/// The file backend on a full disk: a 2 MiB tmpfs (needs root; skipped with a printed reason
/// otherwise).
@Suite("FileBackend on a full disk")
struct FileBackendDiskFullTests {
    /// Runs `command` and returns its exit status (-1 when it could not start).
    private func run(_ command: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test(
        "a 3 MiB put on a 2 MiB disk throws insufficientStorage, leaves nothing, and older data still reads",
        arguments: [Int64(3 << 20), nil])
    func diskFull(declared: Int64?) throws {
        let directory = TemporaryDirectory()
        let mountPoint = directory.path + "/mnt"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: false)
        guard getuid() == 0, run("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint]) == 0
        else {
            print("skipped: cannot mount a tmpfs here (needs root and mount permission)")
            return
        }
        defer { _ = run("/bin/umount", [mountPoint]) }
        let backend = FileBackend(root: mountPoint + "/localData", locationName: "loc")
        try backend.removeTemporaryFiles()
        let small = randomBytes(100 << 10)
        let kept = try backend.put(BufferSource(small), size: Int64(small.count), object: .unique())
        let big = BufferSource(randomBytes(3 << 20))
        #expect(
            dataErrorKind { _ = try backend.put(big, size: declared, object: .unique()) }
                == .insufficientStorage)
        #expect(try backend.storedKeys() == [kept.key])
        #expect(directory.files(in: "mnt/localData/.tmp").isEmpty)
        #expect(try drain(backend.get(kept, range: nil)) == small)
    }
}
