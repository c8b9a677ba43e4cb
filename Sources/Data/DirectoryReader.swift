#if canImport(Glibc)
    import Glibc
#endif

/// One open directory stream (`opendir`/`readdir`), closed in `deinit`. Used by the file
/// backend's sweeps, which walk many directories and must stay cheap.
final class DirectoryReader {
    /// One entry: its name and `d_type` (`DT_UNKNOWN` on filesystems that do not fill it).
    struct Entry {
        var name: String
        var type: UInt8
    }

    private let stream: OpaquePointer

    /// Opens `path`; nil with `errno` set when it cannot be opened.
    init?(_ path: String) {
        guard let stream = opendir(path) else { return nil }
        self.stream = stream
    }

    /// The descriptor of the stream, for `fstatat`/`unlinkat` relative to it.
    var fd: Int32 { dirfd(stream) }

    /// The next entry other than `.` and `..`; nil at the end.
    func next() -> Entry? {
        while let entry = readdir(stream) {
            let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
            let name = String(
                cString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
            if name == "." || name == ".." { continue }
            return Entry(name: name, type: entry.pointee.d_type)
        }
        return nil
    }

    deinit { closedir(stream) }
}
