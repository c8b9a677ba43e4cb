import Foundation
import Metadata

/// The bucket list: one record per bucket in the `__buckets` namespace, keyed by name.
package enum BucketCatalog {
    package static let namespace = "__buckets"

    /// The namespace holding a bucket's objects.
    package static func objectNamespace(_ bucket: BucketInfo) -> String { "b/" + bucket.uid }

    /// The record of `name`, or nil.
    package static func load(_ store: any MetadataStore, _ name: String) throws(S3Error) -> BucketInfo? {
        let value: [UInt8]?
        do {
            value = try store.get(namespace, Array(name.utf8))
        } catch {
            throw S3Error(error)
        }
        guard let value else { return nil }
        return try Records.decode(BucketInfo.self, value)
    }

    /// Every bucket, in name order.
    package static func all(_ store: any MetadataStore) throws(S3Error) -> [BucketInfo] {
        var buckets: [BucketInfo] = []
        do {
            try store.scan(namespace, from: [], to: nil) { _, value in
                buckets.append(try Records.decode(BucketInfo.self, value))
                return .next
            }
        } catch {
            throw S3Error(error)
        }
        return buckets
    }

    /// The batch operation that writes `bucket`.
    package static func put(_ bucket: BucketInfo) throws(S3Error) -> MetadataOperation {
        .put(namespace: namespace, key: Array(bucket.name.utf8), value: try Records.encode(bucket))
    }
}

/// JSON encoding of stored records.
package enum Records {
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
