import CLinux
import HTTP

#if canImport(Glibc)
    import Glibc
#endif

/// Object data as plain files under one root directory (`S3DATAPATH`, default `./localData`).
///
/// Layout, with `k` a fresh 128-bit random key in hex:
/// ```
/// root/.tmp/<k>              a put in progress (garbage after a crash)
/// root/<k[0..<2]>/<k>        stored data; DataLocation.key is the part after `root/`
/// root/<k[0..<2]>/<k[2..<4]>/<k>   stored data of earlier versions (read, deleted, swept)
/// ```
/// One fan-out level of 256 directories: they are created once, so a put never pays for
/// creating and syncing directories (with two levels nearly every put of a young store did);
/// directories of millions of entries are fine for ext4 and xfs hashed directories. A put writes
/// the temp file, fsyncs it, renames it into place and fsyncs the directory, so a stored key is
/// durable and never half written.
package struct FileBackend: DataBackend {
    /// The directory holding everything, without a trailing slash.
    package let root: String
    /// The location name put into every `DataLocation` this backend returns.
    package let locationName: String

    /// Bytes read from the body and written per system call.
    static let chunkSize = 1 << 20
    /// Bodies at least this large are written by a second thread (`WriteBehind`).
    static let writeBehindThreshold: Int64 = 8 << 20
    /// Writeback of written data is started every so many bytes, so the final fsync is short.
    static let writebackInterval: Int64 = 8 << 20

    /// A backend over `root`; nothing is touched on disk until the first call.
    package init(root: String, locationName: String) {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root.isEmpty ? "." : root
        self.locationName = locationName
    }

    /// Where puts in progress live.
    var temporaryDirectory: String { root + "/.tmp" }

    /// The relative key `ab/abcd…` of a random name.
    static func relativeKey(for name: String) -> String {
        String(decoding: name.utf8.prefix(2), as: UTF8.self) + "/" + name
    }

    /// Whether `key` has a shape this backend produces (`ab/` + 32 hex digits starting with `ab`,
    /// or the earlier `ab/cd/` + 32 hex digits starting with `abcd`); anything else is refused,
    /// so a damaged record can never reach outside `root`.
    static func isValidKey(_ key: String) -> Bool {
        let utf8 = Array(key.utf8)
        switch utf8.count {
        case 35:
            guard utf8[2] == UInt8(ascii: "/") else { return false }
            let name = utf8[3...]
            return RandomKey.isHex(name, count: 32) && utf8[0..<2] == name.prefix(2)
        case 38:
            guard utf8[2] == UInt8(ascii: "/"), utf8[5] == UInt8(ascii: "/") else { return false }
            let name = utf8[6...]
            return RandomKey.isHex(name, count: 32) && utf8[0..<2] == name.prefix(2)
                && utf8[3..<5] == name.dropFirst(2).prefix(2)
        default:
            return false
        }
    }

    /// The absolute (or root-relative) path of a stored key.
    func path(of key: String) throws(DataError) -> String {
        guard Self.isValidKey(key) else { throw .io("not a file backend key: \(key)") }
        return root + "/" + key
    }

    /// Reads longer than this get `POSIX_FADV_SEQUENTIAL`; shorter ones fit in the kernel's
    /// first readahead window, and the hint would only cost a system call.
    static let sequentialHintMinimum: Int64 = 128 * 1024

    /// Opens the stored data for reading; the returned `FileRegion` owns the descriptor, so the
    /// HTTP server can `sendfile` it.
    /// - Throws: `notFound` when the file is gone; `io` when `range` or `location.size` do not
    ///   match the stored file.
    package func get(_ location: DataLocation, range: ClosedRange<Int64>?) throws(DataError)
        -> any ByteSource
    {
        let path = try path(of: location.key)
        let fd = try POSIX.check("open") { open(path, O_RDONLY | O_CLOEXEC) }
        var info = stat()
        if POSIX.retrying({ fstat(fd, &info) }) == -1 {
            let error = DataError(errno: errno, function: "fstat")
            close(fd)
            throw error
        }
        let storedSize = Int64(info.st_size)
        let span: ByteSpan
        do throws(DataError) {
            guard storedSize == location.size else {
                throw .io("\(location.key) holds \(storedSize) bytes, metadata says \(location.size)")
            }
            span = try ByteSpan(range, storedSize: storedSize)
        } catch {
            close(fd)
            throw error
        }
        if span.length > Self.sequentialHintMinimum {
            _ = posix_fadvise(fd, off_t(span.offset), off_t(span.length), POSIX_FADV_SEQUENTIAL)
        }
        return FileRegion(fd: fd, offset: span.offset, length: span.length)
    }

    /// Unlinks the stored file; a missing file is fine (a retried or concurrent delete).
    package func delete(_ location: DataLocation) throws(DataError) {
        let path = try path(of: location.key)
        if POSIX.retrying({ unlink(path) }) == -1 && errno != ENOENT {
            throw DataError(errno: errno, function: "unlink")
        }
    }

    /// Healthy when `root` is a writable directory; the detail gives free and total bytes.
    package func healthcheck() -> BackendHealth {
        var info = stat()
        guard stat(root, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            return BackendHealth(ok: false, detail: "\(root) is not a directory")
        }
        guard access(root, W_OK) == 0 else {
            return BackendHealth(ok: false, detail: "\(root) is not writable")
        }
        var fs = statvfs()
        guard statvfs(root, &fs) == 0 else {
            return BackendHealth(ok: true, detail: "\(root): free space unknown")
        }
        let free = Int64(fs.f_bavail) * Int64(fs.f_frsize)
        let total = Int64(fs.f_blocks) * Int64(fs.f_frsize)
        return BackendHealth(ok: true, detail: "\(root): \(free) of \(total) bytes free")
    }
}
