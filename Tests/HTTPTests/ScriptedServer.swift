import CLinux
import Foundation
import Synchronization

@testable import HTTP

#if canImport(Glibc)
    import Glibc
#endif

/// A raw TCP server for client tests: each accepted connection runs `script` on its own thread
/// with the socket; the script reads and writes bytes as a misbehaving server would.
final class ScriptedServer: Sendable {
    let port: Int
    private let listener: Int32
    private let counter = Counter()
    private let stopped = Flag()

    init(_ script: @escaping @Sendable (ScriptedConnection, Int) -> Void) throws {
        let (fd, port) = try makeListenSocket(host: "127.0.0.1", port: 0, v6Only: true)
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
        self.listener = fd
        self.port = port
        let counter = self.counter
        let stopped = self.stopped
        // The accept thread owns the listener and closes it once accept fails after `stop()`:
        // closing it from `stop()` could close a descriptor another test has since been given.
        Thread.detachNewThread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    if stopped.value.load(ordering: .acquiring) {
                        close(fd)
                        return
                    }
                    usleep(1_000)
                    continue
                }
                let index = counter.value.add(1, ordering: .relaxed).newValue
                Thread.detachNewThread { script(ScriptedConnection(fd: client), index) }
            }
        }
    }

    /// Connections accepted so far.
    var accepted: Int { counter.value.load(ordering: .relaxed) }

    var endpoint: HTTPEndpoint { HTTPEndpoint(useTLS: false, host: "127.0.0.1", port: port) }

    /// Stops accepting: wakes the accept loop, which closes the listener. Idempotent.
    func stop() {
        if stopped.value.exchange(true, ordering: .acquiringAndReleasing) { return }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    deinit { stop() }
}

/// A shared boolean.
final class Flag: Sendable {
    let value = Atomic<Bool>(false)
}

/// A shared count.
final class Counter: Sendable {
    let value = Atomic<Int>(0)
}

/// One accepted socket of a `ScriptedServer`.
final class ScriptedConnection: @unchecked Sendable {
    let fd: Int32
    private var pending: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Reads until the end of a request head; nil when the client closed first.
    func readHead() -> String? {
        while true {
            if let end = pending.indices.dropLast(3).first(where: {
                pending[$0] == 13 && pending[$0 + 1] == 10 && pending[$0 + 2] == 13 && pending[$0 + 3] == 10
            }) {
                let head = String(decoding: pending[0..<end], as: UTF8.self)
                pending.removeFirst(end + 4)
                return head
            }
            guard fill() else { return nil }
        }
    }

    /// Reads exactly `count` body bytes; nil when the client closed first.
    func readBody(_ count: Int) -> [UInt8]? {
        while pending.count < count {
            guard fill() else { return nil }
        }
        let body = Array(pending[0..<count])
        pending.removeFirst(count)
        return body
    }

    /// Reads whatever comes until the client closes; the byte count.
    func drainToEnd() -> Int {
        var total = pending.count
        pending = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return total }
            total += n
        }
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    func close() { _ = Glibc.close(fd) }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { return false }
        pending.append(contentsOf: chunk[0..<n])
        return true
    }
}
