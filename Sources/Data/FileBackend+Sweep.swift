#if canImport(Glibc)
    import Glibc
#endif

/// A data file found by a sweep of the file backend.
package struct StoredData: Sendable, Equatable {
    /// The relative key, as in `DataLocation.key`.
    package var key: String
    /// Its size in bytes.
    package var size: Int64
    /// Its modification time, in seconds since the Unix epoch.
    package var modified: Int64
}

/// Crash recovery. A crash can leave three kinds of garbage: temp files of puts in progress
/// (always garbage: `removeTemporaryFiles`), data written but never referenced because the
/// metadata commit did not happen, and data still present because the crash came between the
/// metadata commit and the data delete. The last two are found by listing stored keys older
/// than any request still in flight and removing those no metadata references.
extension FileBackend {
    /// Removes every file in `root/.tmp` and makes sure `root/.tmp` exists. Call once at startup,
    /// before serving: temp files of a previous process can never be completed.
    /// - Returns: how many files were removed.
    @discardableResult
    package func removeTemporaryFiles() throws(DataError) -> Int {
        guard let directory = DirectoryReader(temporaryDirectory) else {
            guard errno == ENOENT else { throw DataError(errno: errno, function: "opendir") }
            try POSIX.makeDirectories(temporaryDirectory)
            return 0
        }
        var removed = 0
        while let entry = directory.next() {
            if unlinkat(directory.fd, entry.name, 0) == 0 {
                removed += 1
            } else if errno != ENOENT {
                throw DataError(errno: errno, function: "unlinkat")
            }
        }
        return removed
    }

    /// Calls `visit` for every stored data file last modified strictly before `modifiedBefore`
    /// (seconds since the Unix epoch), in no particular order. Walks the fan-out directories
    /// (and the second level of the earlier layout) with `readdir` and `fstatat`; entries that do
    /// not have the backend's key shape are ignored.
    package func forEachStoredData(modifiedBefore: Int64 = .max, _ visit: (StoredData) -> Void)
        throws(DataError)
    {
        guard let top = DirectoryReader(root) else {
            if errno == ENOENT { return }
            throw DataError(errno: errno, function: "opendir")
        }
        while let first = top.next() {
            guard isFanOutName(first) else { continue }
            try visitDirectory(first.name + "/", modifiedBefore: modifiedBefore, descend: true, visit)
        }
    }

    /// Visits the data files of `root/<prefix>`; with `descend`, also those of its two-hex-digit
    /// subdirectories (the earlier two-level layout).
    private func visitDirectory(
        _ prefix: String, modifiedBefore: Int64, descend: Bool, _ visit: (StoredData) -> Void
    ) throws(DataError) {
        guard let directory = try openIfPresent(root + "/" + prefix) else { return }
        while let entry = directory.next() {
            if descend && isFanOutName(entry) {
                try visitDirectory(
                    prefix + entry.name + "/", modifiedBefore: modifiedBefore, descend: false, visit)
                continue
            }
            let key = prefix + entry.name
            guard Self.isValidKey(key) else { continue }
            var info = stat()
            guard fstatat(directory.fd, entry.name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                if errno == ENOENT { continue }
                throw DataError(errno: errno, function: "fstatat")
            }
            guard (info.st_mode & S_IFMT) == S_IFREG, info.st_mtim.tv_sec < modifiedBefore else { continue }
            visit(StoredData(key: key, size: Int64(info.st_size), modified: Int64(info.st_mtim.tv_sec)))
        }
    }

    /// The keys of all stored data files last modified before `modifiedBefore` (seconds since
    /// the Unix epoch).
    package func storedKeys(modifiedBefore: Int64 = .max) throws(DataError) -> [String] {
        var keys: [String] = []
        try forEachStoredData(modifiedBefore: modifiedBefore) { keys.append($0.key) }
        return keys
    }

    /// Deletes every stored data file older than `modifiedBefore` (seconds since the Unix epoch)
    /// for which `isReferenced(key)` is false: the orphans of a crash between a data write and
    /// its metadata commit, or between a metadata commit and the data delete. Choose the cutoff
    /// before the start of every put still in flight (for example process start, or now minus
    /// the longest request time), so data about to be committed is never taken.
    /// - Returns: the keys removed.
    @discardableResult
    package func removeUnreferenced(modifiedBefore: Int64, isReferenced: (String) -> Bool)
        throws(DataError) -> [String]
    {
        let orphans = try storedKeys(modifiedBefore: modifiedBefore).filter { !isReferenced($0) }
        for key in orphans {
            try delete(DataLocation(location: locationName, key: key, size: 0))
        }
        return orphans
    }

    /// A two-hex-digit directory name (or an entry whose type the filesystem did not report).
    private func isFanOutName(_ entry: DirectoryReader.Entry) -> Bool {
        (entry.type == UInt8(DT_DIR) || entry.type == UInt8(DT_UNKNOWN))
            && RandomKey.isHex(entry.name.utf8, count: 2)
    }

    /// Opens a directory met during the walk; nil when it vanished meanwhile.
    private func openIfPresent(_ path: String) throws(DataError) -> DirectoryReader? {
        if let reader = DirectoryReader(path) { return reader }
        if errno == ENOENT || errno == ENOTDIR { return nil }
        throw DataError(errno: errno, function: "opendir")
    }
}
