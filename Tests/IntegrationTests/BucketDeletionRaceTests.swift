import Foundation
import Metadata
import S3API
import Synchronization
import Testing

/// DeleteBucket racing object writes: nothing may be committed into a bucket once it is found
/// empty and dropped.
@Suite("DeleteBucket against concurrent writes")
struct BucketDeletionRaceTests {
    @Test("writes racing a DeleteBucket leave no record in the dropped bucket's namespace")
    func racingWrites() throws {
        let server = try TestServer()
        for round in 0..<3 {
            let name = "race-\(round)"
            #expect(try server.client().send("PUT", "/" + name).status == 200)
            let bucket = try #require(try server.instance.service.buckets.load(name))
            let acknowledged = Atomic<Int>(0)
            let port = server.port
            DispatchQueue.concurrentPerform(iterations: 9) { worker in
                let client = RawClient(port: port, accessKey: "accessKey1", secret: "verySecretKey1")
                if worker == 0 {
                    // The deleter: once writes land, retries while writers keep the bucket busy.
                    for _ in 0..<100_000 where acknowledged.load(ordering: .relaxed) == 0 { usleep(100) }
                    for _ in 0..<2000 {
                        guard let status = try? client.send("DELETE", "/" + name).status else { continue }
                        if status == 204 { return }
                    }
                    Issue.record("the bucket was never deleted")
                    return
                }
                for n in 0..<400 {
                    let key = "/\(name)/w\(worker)-\(n)"
                    guard let put = try? client.send("PUT", key, body: Array("x".utf8)) else { continue }
                    if put.status == 404 { return }
                    if put.status == 200 { acknowledged.add(1, ordering: .relaxed) }
                    _ = try? client.send("DELETE", key)
                }
            }
            #expect(acknowledged.load(ordering: .relaxed) > 0)
            var leftovers = 0
            try server.instance.service.store.scan(
                BucketCatalog.objectNamespace(bucket), from: [], to: nil
            ) { _, _ in
                leftovers += 1
                return .next
            }
            #expect(leftovers == 0)
            #expect(try server.client().send("HEAD", "/" + name).status == 404)
        }
    }
}
