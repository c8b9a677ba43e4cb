import Glibc

/// File-system steps around the database file: making its directory, checking that an
/// existing file is a SQLite database before SQLite touches it, and syncing the directory.
enum DatabaseFile {
    /// The 16 bytes every SQLite 3 database file starts with ("SQLite format 3\0").
    static let header: [UInt8] = Array("SQLite format 3".utf8) + [0]

    /// Creates `path` and its missing parents (like `mkdir -p`).
    static func makeDirectory(_ path: String) throws(MetadataError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component + "/"
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .io("mkdir \(prefix): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// The size of the file at `path`, or nil when there is none.
    static func size(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    /// Throws `.corrupt` unless the file at `path` starts with the SQLite header. Reads only.
    static func checkHeader(_ path: String) throws(MetadataError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .io("open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: header.count)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count != header.count || bytes != header {
            throw .corrupt("\(path) is not a SQLite database (bad header); left untouched")
        }
    }

    /// fsyncs the directory `path`, so that a file just created in it survives power loss.
    static func syncDirectory(_ path: String) throws(MetadataError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw .io("open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        if fsync(fd) != 0 { throw .io("fsync \(path): \(String(cString: strerror(errno)))") }
    }
}
