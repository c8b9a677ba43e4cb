import Foundation
import Locks
import Metadata

/// The bucket list: one record per bucket in the `__buckets` namespace, keyed by name, with
/// an in-process cache of decoded records (every request loads its bucket; the cache is updated
/// by every write this process makes, and this process is the store's only writer).
///
/// A reader that misses the cache reads the store outside the lock; a save or remove may commit
/// in between. Every write bumps `generation` after its commit, and a reader inserts what it
/// read only if no write committed since it started, so a stale record never re-enters the
/// cache after the write that replaced it.
package final class BucketCatalog: Sendable {
    package static let namespace = "__buckets"
    private let store: any MetadataStore
    private let cache = Locked<Cache>(Cache())

    /// Decoded records and the count of writes committed so far.
    private struct Cache {
        var entries: [String: BucketInfo] = [:]
        var generation: UInt64 = 0
    }

    package init(store: any MetadataStore) { self.store = store }

    /// The namespace holding a bucket's objects.
    package static func objectNamespace(_ bucket: BucketInfo) -> String { "b/" + bucket.uid }

    /// The record of `name`, or nil.
    package func load(_ name: String) throws(S3Error) -> BucketInfo? {
        let (cached, generation) = cache.withLock { ($0.entries[name], $0.generation) }
        if let cached { return cached }
        let value: [UInt8]?
        do {
            value = try store.get(Self.namespace, Array(name.utf8))
        } catch {
            throw S3Error(error)
        }
        guard let value else { return nil }
        let bucket = try Records.decode(BucketInfo.self, value)
        cache.withLock { if $0.generation == generation { $0.entries[name] = bucket } }
        return bucket
    }

    /// Every bucket, in name order.
    package func all() throws(S3Error) -> [BucketInfo] {
        var buckets: [BucketInfo] = []
        do {
            try store.scan(Self.namespace, from: [], to: nil) { _, value in
                buckets.append(try Records.decode(BucketInfo.self, value))
                return .next
            }
        } catch {
            throw S3Error(error)
        }
        return buckets
    }

    /// Writes `bucket` durably.
    package func save(_ bucket: BucketInfo) throws(S3Error) {
        let value = try Records.encode(bucket)
        try write(bucket.name, cached: bucket, [.put(namespace: Self.namespace, key: Array(bucket.name.utf8), value: value)])
    }

    /// Deletes the record of `bucket` durably, in one batch with `operations`.
    package func remove(_ bucket: BucketInfo, alongWith operations: [MetadataOperation] = []) throws(S3Error) {
        try write(
            bucket.name, cached: nil, [.delete(namespace: Self.namespace, key: Array(bucket.name.utf8))] + operations)
    }

    /// Commits the record change of `name`, then caches `cached` (nil: nothing, so the next read
    /// goes to the store). On failure the entry is dropped, whatever the store now holds.
    private func write(_ name: String, cached: BucketInfo?, _ batch: [MetadataOperation]) throws(S3Error) {
        var stored = cached
        defer {
            cache.withLock {
                $0.generation &+= 1
                $0.entries[name] = stored
            }
        }
        do {
            try store.commit(batch)
        } catch {
            stored = nil
            throw S3Error(error)
        }
    }
}

/// JSON encoding of stored records. Object records, read on every request, have a
/// hand-written codec; the rest go through `Codable`.
package enum Records {
    package static func encode(_ md: ObjectMD) -> [UInt8] { md.jsonBytes() }

    package static func decode(_ type: ObjectMD.Type, _ bytes: [UInt8]) throws(S3Error) -> ObjectMD {
        do {
            return try ObjectMD(json: bytes)
        } catch {
            throw S3Error.internalError.with(message: "A metadata record could not be decoded.")
        }
    }

    package static func encode<T: Encodable>(_ value: T) throws(S3Error) -> [UInt8] {
        do {
            return Array(try JSONEncoder().encode(value))
        } catch {
            throw S3Error.internalError
        }
    }

    package static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws(S3Error) -> T {
        do {
            return try JSONDecoder().decode(type, from: Foundation.Data(bytes))
        } catch {
            throw S3Error.internalError.with(message: "A metadata record could not be decoded.")
        }
    }
}
