import Data
import HTTP
import Metadata

extension RequestContext {
    /// The location a new object of `bucket` goes to: with S3DATA=multiple the object's
    /// `x-amz-meta-scal-location-constraint`, else the bucket's location; otherwise the default
    /// backend.
    /// - Throws: `S3Error.invalidArgument` for a location header naming no location.
    func placement(for bucket: BucketInfo) throws(S3Error) -> String {
        let configuration = service.configuration
        guard configuration.multipleBackends else { return configuration.defaultDataLocation }
        if let requested = headers["x-amz-meta-scal-location-constraint"] {
            guard configuration.locations[requested] != nil else {
                throw S3Error.invalidArgument.with(message: "Object Location Error - \(requested) is not a valid location")
            }
            return requested
        }
        return bucket.locationConstraint
    }

    /// Streams `source` to `location`'s backend; the data is durable when this returns.
    func storeData(_ source: any ByteSource, size: Int64?, location: String) throws(S3Error) -> DataLocation {
        guard let backend = service.gateway.backend(for: location) else {
            throw S3Error.invalidArgument.with(message: "Unknown location \(location)")
        }
        do {
            return try backend.put(source, size: size)
        } catch {
            throw S3Error(error)
        }
    }

    /// Frees data no committed metadata references any more. Failures only leave orphans,
    /// which the startup sweep removes, so they are logged, not thrown.
    func freeData(_ locations: [DataLocation]) {
        for location in locations {
            do {
                try service.gateway.backend(for: location.location)?.delete(location)
            } catch {
                service.logger.warning(
                    "could not free data", metadata: ["key": "\(location.key)", "error": "\(error)"])
            }
        }
    }

    /// Makes `md` the current object of `key` in one atomic batch (master + data references),
    /// then frees the data of the record it replaced. `check` runs under the key's lock with
    /// the current record, to enforce conditions that must hold at commit time. When `check`
    /// or the commit fails, the new data is freed.
    func commitObject(
        _ md: ObjectMD, bucket: BucketInfo, check: (ObjectMD?) throws(S3Error) -> Void = { _ in }
    ) throws(S3Error) {
        let namespace = BucketCatalog.objectNamespace(bucket)
        let replaced: ObjectMD?
        do {
            replaced = try service.locks.withLock(bucket: bucket.uid, key: md.key) { () throws(S3Error) -> ObjectMD? in
                let current = try ObjectCatalog.loadMaster(store, bucket: bucket, key: md.key)
                try check(current)
                var batch: [MetadataOperation] = [
                    .put(namespace: namespace, key: ObjectCatalog.masterKey(md.key), value: try Records.encode(md))
                ]
                batch += ObjectCatalog.addRefs(md.locations)
                if let current { batch += ObjectCatalog.dropRefs(current.locations) }
                do {
                    try store.commit(batch)
                } catch {
                    throw S3Error(error)
                }
                return current
            }
        } catch {
            freeData(md.locations)
            throw error
        }
        if let replaced { freeData(replaced.locations) }
    }
}
