import CLinux
import HTTP

#if canImport(Glibc)
    import Glibc
#endif

extension FileBackend {
    /// Streams `body` into a temp file, fsyncs it, renames it to its fan-out path and fsyncs that
    /// directory. On any failure the temp file is removed: nothing is left behind.
    /// - Throws: `insufficientStorage` on ENOSPC/EDQUOT, `source` when `body.read` fails,
    ///   `sizeMismatch` when `size` is given and the body is shorter or longer, `io` otherwise.
    package func put(_ body: any ByteSource, size: Int64?, object: ObjectIdentity) throws(DataError)
        -> DataLocation
    {
        let name = RandomKey.make()
        let key = Self.relativeKey(for: name)
        let temporaryPath = temporaryDirectory + "/" + name
        let fd = try createTemporaryFile(temporaryPath)
        var isOpen = true
        var done = false
        defer {
            if isOpen { close(fd) }
            if !done { unlink(temporaryPath) }
        }
        if let size, size > 0, POSIX.retrying({ clinux_fallocate(fd, 0, size) }) == -1 {
            // Only a full disk matters here; filesystems without fallocate just write.
            if errno == ENOSPC || errno == EDQUOT { throw .insufficientStorage }
        }
        let written =
            if let size, size >= Self.writeBehindThreshold {
                try copyWritingBehind(body, to: fd, expectedSize: size)
            } else {
                try copy(body, to: fd, expectedSize: size)
            }
        try POSIX.sync(fd)
        isOpen = false
        if close(fd) == -1 && errno != EINTR { throw DataError(errno: errno, function: "close") }
        try moveIntoPlace(temporaryPath, key: key)
        done = true
        return DataLocation(location: locationName, key: key, size: written)
    }

    /// Creates the temp file exclusively, making `root/.tmp` on first use.
    private func createTemporaryFile(_ path: String) throws(DataError) -> Int32 {
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC
        let fd = POSIX.retrying { open(path, flags, 0o644) }
        if fd >= 0 { return fd }
        guard errno == ENOENT else { throw DataError(errno: errno, function: "open") }
        try POSIX.makeDirectories(temporaryDirectory)
        return try POSIX.check("open") { open(path, flags, 0o644) }
    }

    /// Copies the body to `fd` through one buffer, in writes of `chunkSize`; returns the length.
    private func copy(_ body: any ByteSource, to fd: Int32, expectedSize: Int64?) throws(DataError)
        -> Int64
    {
        let capacity = expectedSize.map { Int(max(4096, min(Int64(Self.chunkSize), $0))) } ?? Self.chunkSize
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 4096)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        var filled = 0
        var flushed: Int64 = 0
        var writebackStart: Int64 = 0
        while true {
            let n: Int
            do {
                n = try body.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            } catch {
                throw .source(error)
            }
            total += Int64(n)
            if let expectedSize, total > expectedSize {
                throw .sizeMismatch(expected: expectedSize, actual: total)
            }
            filled += n
            if filled == capacity || (n == 0 && filled > 0) {
                try POSIX.writeAll(fd, buffer.baseAddress!, filled)
                flushed += Int64(filled)
                filled = 0
                if flushed - writebackStart >= Self.writebackInterval {
                    _ = clinux_start_writeback(fd, writebackStart, flushed - writebackStart)
                    writebackStart = flushed
                }
            }
            if n == 0 { break }
        }
        if let expectedSize, total != expectedSize {
            throw .sizeMismatch(expected: expectedSize, actual: total)
        }
        return total
    }

    /// `copy` for a large body of known size: the file writes run on a `WriteBehind` thread
    /// while this one receives (and, through the source, hashes) the next buffer.
    private func copyWritingBehind(_ body: any ByteSource, to fd: Int32, expectedSize: Int64)
        throws(DataError)
        -> Int64
    {
        let writer = try WriteBehind(fd: fd, bufferSize: Self.chunkSize)
        var total: Int64 = 0
        do throws(DataError) {
            var ended = false
            while !ended {
                let buffer = try writer.buffer()
                var filled = 0
                while filled < buffer.count {
                    let n: Int
                    do {
                        n = try body.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                    } catch {
                        throw .source(error)
                    }
                    if n == 0 {
                        ended = true
                        break
                    }
                    filled += n
                    total += Int64(n)
                    if total > expectedSize { throw .sizeMismatch(expected: expectedSize, actual: total) }
                }
                writer.submit(count: filled)
            }
        } catch {
            try? writer.finish()
            throw error
        }
        try writer.finish()
        if total != expectedSize { throw .sizeMismatch(expected: expectedSize, actual: total) }
        return total
    }

    /// Renames the synced temp file to `root/<key>` and fsyncs the fan-out directory; creates
    /// the fan-out directories (durably) when the rename finds them missing. On failure neither
    /// the temp file (removed by `put`) nor the target is left.
    private func moveIntoPlace(_ temporaryPath: String, key: String) throws(DataError) {
        let target = root + "/" + key
        let directory = POSIX.parent(of: target)
        if POSIX.retrying({ rename(temporaryPath, target) }) == -1 {
            guard errno == ENOENT else { throw DataError(errno: errno, function: "rename") }
            try POSIX.makeDirectories(directory)
            try POSIX.check("rename") { rename(temporaryPath, target) }
        }
        do {
            try POSIX.syncDirectory(directory)
        } catch {
            // The caller will not record this key, so the file must not outlive the failure.
            unlink(target)
            throw error
        }
    }
}
