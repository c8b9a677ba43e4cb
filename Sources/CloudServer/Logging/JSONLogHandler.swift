import Locks
import Glibc
import Logging
import Synchronization

/// A swift-log handler writing one JSON object per line (see `JSONLogLine`) to standard output.
///
/// Install it once at startup:
/// ```swift
/// LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: .info) }
/// ```
package struct JSONLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?
    /// Messages below this level are dropped (by `Logger`, before any formatting).
    package var logLevel: Logger.Level
    private let sink: LogSink

    /// - Parameters:
    ///   - label: The logger's label; not written (the `level`/`message` fields and the
    ///     metadata identify a line).
    ///   - level: The minimum level written.
    ///   - sink: Where lines go; standard output by default.
    package init(
        label: String, level: Logger.Level = .info, sink: LogSink = .standardOutput,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.logLevel = level
        self.sink = sink
        self.metadataProvider = metadataProvider
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        let time = LogTimestamp.now()
        let line = JSONLogLine.render(
            seconds: time.seconds, nanoseconds: time.nanoseconds, level: event.level,
            message: event.message.description, error: event.error, metadata: merged)
        sink.write(line)
    }
}

/// A file descriptor that receives whole log lines. A lock makes each line one `write(2)`
/// call that no other thread's line can interleave with (a partial write is completed before
/// the lock is released).
package final class LogSink: Sendable {
    private let fd: Int32
    private let lock = Locked(())

    /// Lines go to `fd`, which the caller keeps open for the sink's lifetime.
    package init(fileDescriptor: Int32) { self.fd = fileDescriptor }

    /// Standard output.
    package static let standardOutput = LogSink(fileDescriptor: STDOUT_FILENO)

    /// Writes `line` completely; retries on EINTR, gives up silently on other errors (a log
    /// line is never worth failing a request).
    package func write(_ line: [UInt8]) {
        lock.withLock { _ in
            line.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
        }
    }
}
