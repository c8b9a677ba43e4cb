import Foundation
import HTTP
import Testing

@testable import Data

/// What only the file backend does: its layout on disk and its crash-recovery sweeps.
@Suite("FileBackend")
struct FileBackendTests {
    @Test("a put lands in the fan-out directories named by its key's first hex digits")
    func fanOut() throws {
        let directory = TemporaryDirectory()
        let backend = FileBackend(root: directory.path + "/a/b/localData/", locationName: "us-east-1")
        let location = try backend.put(BufferSource(randomBytes(1234)), size: 1234, object: .unique())
        #expect(location.location == "us-east-1")
        #expect(FileBackend.isValidKey(location.key))
        let parts = location.key.split(separator: "/").map(String.init)
        #expect(parts.count == 2)
        #expect(parts[1].hasPrefix(parts[0]))
        let attributes = try FileManager.default.attributesOfItem(atPath: backend.root + "/" + location.key)
        #expect((attributes[.size] as? Int) == 1234)
        #expect(directory.files(in: "a/b/localData/.tmp").isEmpty)
    }

    @Test("removeTemporaryFiles clears the temp directory and keeps stored data")
    func removeTemporaryFiles() throws {
        let directory = TemporaryDirectory()
        let backend = FileBackend(root: directory.path, locationName: "loc")
        let location = try backend.put(BufferSource([1, 2, 3]), size: 3, object: .unique())
        for name in ["dead1", "dead2", RandomKey.make()] {
            #expect(
                FileManager.default.createFile(atPath: directory.path + "/.tmp/" + name, contents: Data([9])))
        }
        #expect(try backend.removeTemporaryFiles() == 3)
        #expect(directory.files(in: ".tmp").isEmpty)
        #expect(try drain(backend.get(location, range: nil)) == [1, 2, 3])
    }

    @Test("removeTemporaryFiles on a fresh root creates the root and its temp directory")
    func removeTemporaryFilesFresh() throws {
        let directory = TemporaryDirectory()
        let backend = FileBackend(root: directory.path + "/new/localData", locationName: "loc")
        #expect(try backend.removeTemporaryFiles() == 0)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: backend.root + "/.tmp", isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
        #expect(backend.healthcheck().ok)
    }

    @Test("storedKeys lists exactly the stored data, ignoring foreign files")
    func storedKeys() throws {
        let directory = TemporaryDirectory()
        let backend = FileBackend(root: directory.path, locationName: "loc")
        var expected = Set<String>()
        for size in [0, 1, 10, 100, 1000] {
            expected.insert(
                try backend.put(BufferSource(randomBytes(size)), size: Int64(size), object: .unique()).key)
        }
        let gone = try backend.put(BufferSource([1]), size: 1, object: .unique())
        try backend.delete(gone)
        let manager = FileManager.default
        let anyKey = expected.first!
        try manager.createDirectory(atPath: directory.path + "/zz/qq", withIntermediateDirectories: true)
        _ = manager.createFile(
            atPath: directory.path + "/zz/qq/" + String(repeating: "0", count: 32), contents: nil)
        _ = manager.createFile(atPath: directory.path + "/" + anyKey.prefix(6) + "notakey", contents: nil)
        _ = manager.createFile(atPath: directory.path + "/.tmp/" + RandomKey.make(), contents: nil)
        _ = manager.createFile(atPath: directory.path + "/README", contents: nil)
        #expect(Set(try backend.storedKeys()) == expected)
    }

    @Test("storedKeys with a cutoff lists only data modified before it")
    func storedKeysCutoff() throws {
        let directory = TemporaryDirectory()
        let backend = FileBackend(root: directory.path, locationName: "loc")
        let old = try backend.put(BufferSource([1]), size: 1, object: .unique())
        let recent = try backend.put(BufferSource([2]), size: 1, object: .unique())
        let oneDayAgo = Date(timeIntervalSinceNow: -86_400)
        try FileManager.default.setAttributes(
            [.modificationDate: oneDayAgo], ofItemAtPath: backend.root + "/" + old.key)
        let cutoff = Int64(Date().timeIntervalSince1970) - 3600
        #expect(try backend.storedKeys(modifiedBefore: cutoff) == [old.key])
        var seen: [StoredData] = []
        try backend.forEachStoredData { seen.append($0) }
        #expect(Set(seen.map(\.key)) == [old.key, recent.key])
        #expect(seen.allSatisfy { $0.size == 1 })
    }

    @Test("removeUnreferenced deletes old data no metadata references and keeps the rest")
    func removeUnreferenced() throws {
        let directory = TemporaryDirectory()
        let backend = FileBackend(root: directory.path, locationName: "loc")
        let referenced = try backend.put(BufferSource([1]), size: 1, object: .unique())
        let orphan = try backend.put(BufferSource([2]), size: 1, object: .unique())
        let recentOrphan = try backend.put(BufferSource([3]), size: 1, object: .unique())
        let oneDayAgo = Date(timeIntervalSinceNow: -86_400)
        for location in [referenced, orphan] {
            try FileManager.default.setAttributes(
                [.modificationDate: oneDayAgo], ofItemAtPath: backend.root + "/" + location.key)
        }
        let cutoff = Int64(Date().timeIntervalSince1970) - 3600
        let removed = try backend.removeUnreferenced(modifiedBefore: cutoff) { $0 == referenced.key }
        #expect(removed == [orphan.key])
        #expect(Set(try backend.storedKeys()) == [referenced.key, recentOrphan.key])
    }

    @Test("storedKeys of a root that does not exist yet is empty")
    func storedKeysMissingRoot() throws {
        let directory = TemporaryDirectory()
        #expect(try FileBackend(root: directory.path + "/nothing", locationName: "loc").storedKeys().isEmpty)
    }

    @Test(
        "keys not shaped like the backend's own are refused before touching the disk",
        arguments: [
            "../../etc/passwd", "ab/cd/ef", "/etc/passwd", "ab/cd/abce0000000000000000000000000000x",
            "ab/ac000000000000000000000000000000", "ab/../ab00000000000000000000000000000",
        ])
    func invalidKeys(key: String) throws {
        let directory = TemporaryDirectory()
        let backend = FileBackend(root: directory.path, locationName: "loc")
        let location = DataLocation(location: "loc", key: key, size: 1)
        #expect(dataErrorKind { _ = try backend.get(location, range: nil) } == .io)
        #expect(dataErrorKind { try backend.delete(location) } == .io)
    }

    @Test("data stored in the earlier two-level layout is read, listed by the sweep and deleted")
    func earlierLayout() throws {
        let directory = TemporaryDirectory()
        let backend = FileBackend(root: directory.path, locationName: "loc")
        let key = "ab/cd/abcd" + String(repeating: "0", count: 28)
        try FileManager.default.createDirectory(
            atPath: directory.path + "/ab/cd", withIntermediateDirectories: true)
        #expect(
            FileManager.default.createFile(atPath: directory.path + "/" + key, contents: Data("old".utf8)))
        let fresh = try backend.put(BufferSource(Array("new".utf8)), size: 3, object: .unique())
        #expect(fresh.key.utf8.count == 35)
        #expect(try Set(backend.storedKeys()) == [key, fresh.key])
        let location = DataLocation(location: "loc", key: key, size: 3)
        #expect(try backend.get(location, range: nil).readAll(limit: 10) == Array("old".utf8))
        try backend.delete(location)
        #expect(try backend.storedKeys() == [fresh.key])
    }

    @Test("a get whose location size disagrees with the stored file is refused")
    func sizeDisagreement() throws {
        let directory = TemporaryDirectory()
        let backend = FileBackend(root: directory.path, locationName: "loc")
        var location = try backend.put(BufferSource([1, 2, 3]), size: 3, object: .unique())
        location.size = 4
        #expect(dataErrorKind { _ = try backend.get(location, range: nil) } == .io)
    }

    @Test("a get returns a file region the server can sendfile")
    func getReturnsFileRegion() throws {
        let directory = TemporaryDirectory()
        let backend = FileBackend(root: directory.path, locationName: "loc")
        let location = try backend.put(BufferSource(randomBytes(4096)), size: 4096, object: .unique())
        let region = try #require(try backend.get(location, range: 1000...1999) as? FileRegion)
        #expect(region.offset == 1000)
        #expect(region.remaining == 1000)
    }

    @Test("a root that does not exist is reported unhealthy")
    func unhealthy() {
        let directory = TemporaryDirectory()
        #expect(!FileBackend(root: directory.path + "/missing", locationName: "loc").healthcheck().ok)
    }
}
