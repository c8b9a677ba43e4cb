import CLinux
import HTTP
import Locks

#if canImport(Glibc)
    import Glibc
#endif

/// Thin helpers over the system calls of the file backend: EINTR retries, errno translation,
/// whole-buffer writes and durable directory creation.
enum POSIX {
    /// Runs `call` again while it fails with EINTR; returns its last result with `errno` intact.
    static func retrying<T: FixedWidthInteger>(_ call: () -> T) -> T {
        while true {
            let result = call()
            if result == -1 && errno == EINTR { continue }
            return result
        }
    }

    /// Runs `call` (retrying EINTR) and throws the translated errno when it returns -1.
    @discardableResult
    static func check<T: FixedWidthInteger>(_ function: String, _ call: () -> T) throws(DataError) -> T {
        let result = retrying(call)
        if result == -1 { throw DataError(errno: errno, function: function) }
        return result
    }

    /// Writes all `count` bytes at `pointer`, looping over short writes.
    static func writeAll(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) throws(DataError) {
        var done = 0
        while done < count {
            let n = try check("write") { write(fd, pointer + done, count - done) }
            done += n
        }
    }

    /// Opens a directory and fsyncs it, so that entries created or renamed in it survive a crash.
    static func syncDirectory(_ path: String) throws(DataError) {
        let fd = try check("open") { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { close(fd) }
        try sync(fd)
    }

    /// fsync, as a marked wait (`BlockingWait`): the worker pool runs another worker meanwhile.
    static func sync(_ fd: Int32) throws(DataError) {
        _ = try BlockingWait.around { () throws(DataError) -> Int32 in try check("fsync") { fsync(fd) } }
    }

    /// `mkdir -p`: creates `path` and any missing parents, fsyncing the parent of every
    /// directory it creates (a new directory entry is durable only once its parent is synced).
    static func makeDirectories(_ path: String) throws(DataError) {
        if retrying({ mkdir(path, 0o755) }) == 0 {
            try syncDirectory(parent(of: path))
            return
        }
        switch errno {
        case EEXIST:
            return
        case ENOENT:
            try makeDirectories(parent(of: path))
            if retrying({ mkdir(path, 0o755) }) == 0 {
                try syncDirectory(parent(of: path))
            } else if errno != EEXIST {
                throw DataError(errno: errno, function: "mkdir")
            }
        default:
            throw DataError(errno: errno, function: "mkdir")
        }
    }

    /// The directory holding `path` (`"."` for a bare name, `"/"` for a top-level entry).
    static func parent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        if slash == path.utf8.startIndex { return "/" }
        return String(path[..<slash])
    }
}

extension DataError {
    /// Translates a failed system call: a full disk or quota is `insufficientStorage`, a missing
    /// file `notFound`, anything else `io` with the call's name and the system's message.
    init(errno code: Int32, function: String) {
        switch code {
        case ENOSPC, EDQUOT: self = .insufficientStorage
        case ENOENT: self = .notFound
        default: self = .io(IOError(errno: code, function: function).description)
        }
    }
}
