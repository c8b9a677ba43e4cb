import Locks
import Synchronization
import Testing

@testable import HTTP

#if canImport(Glibc)
    import Glibc
#endif

/// The worker pool's run limit: workers parked in marked waits do not count against it.
@Suite(.serialized) struct WorkerPoolTests {
    @Test("with one running worker allowed, a worker waiting for a body does not hold up another client")
    func waitingWorkerYields() throws {
        try withServer(limits: testLimits { $0.ioTimeout = 20 }, workers: 3, runningWorkers: 1) {
            _, port, handler in
            let slow = try TestClient(port: port)
            try slow.send(
                "PUT /read HTTP/1.1\r\nContent-Length: 1000\r\n\r\n" + String(repeating: "a", count: 100))
            usleep(100_000)
            let started = monotonicNanoseconds()
            for i in 0..<3 {
                let other = try TestClient(port: port)
                try other.send("GET /other\(i) HTTP/1.1\r\n\r\n")
                #expect(try other.readResponse().text == "hello /other\(i)")
            }
            // Far below the 20 s read timeout that would otherwise free the only running slot.
            #expect(monotonicNanoseconds() - started < 10_000_000_000)
            try slow.send(String(repeating: "b", count: 900))
            #expect(try slow.readResponse().status == 200)
            #expect(handler.bodyReads.withLock { $0 } == ["ok 1000"])
        }
    }

    @Test("nested marked waits tell the pool once, and a thread without a pool tells nobody")
    func nestedWaits() {
        let observer = CountingObserver()
        BlockingWait.around {}
        #expect(observer.events.withLock { $0 } == [])
        BlockingWait.install(observer)
        BlockingWait.around {
            BlockingWait.around {}
            #expect(observer.events.withLock { $0 } == ["block"])
        }
        BlockingWait.uninstall()
        BlockingWait.around {}
        #expect(observer.events.withLock { $0 } == ["block", "unblock"])
    }
}

/// Records the pool calls it gets.
private final class CountingObserver: BlockingObserver {
    let events = Mutex<[String]>([])
    func willBlock() { events.withLock { $0.append("block") } }
    func didUnblock() { events.withLock { $0.append("unblock") } }
}
