import Data
import HTTP

extension RequestContext {
    /// The location new data of `md` in `bucket` goes to (docs 2.3, 2.7.1). With S3DATA=multiple:
    /// the object's `x-amz-meta-scal-location-constraint`, else the bucket's LocationConstraint,
    /// else the default of the endpoint the request came through (`restEndpoints`), else
    /// `us-east-1`. Without it, every object goes to the S3BACKEND backend.
    /// - Throws: `S3Error.invalidArgument` for a constraint naming no configured location, with
    ///   the original's wording (Arsenal `BackendInfo.controllingBackendParam`).
    func placement(for bucket: BucketInfo, object md: ObjectMD) throws(S3Error) -> String {
        let configuration = service.configuration
        guard configuration.multipleBackends else { return configuration.defaultDataLocation }
        if let requested = md.userMetadata.first(where: { $0.name == Self.locationConstraintMeta })?.value {
            guard configuration.locations[requested] != nil else {
                throw S3Error.invalidArgument.with(
                    message:
                        "Object Location Error - Your object location \"\(requested)\"is not  in your location config - Please update."
                )
            }
            return requested
        }
        if !bucket.locationConstraint.isEmpty {
            guard configuration.locations[bucket.locationConstraint] != nil else {
                throw S3Error.invalidArgument.with(
                    message:
                        "Bucket Location Error - Your bucket location \"\(bucket.locationConstraint)\" is not in your location config - Please update."
                )
            }
            return bucket.locationConstraint
        }
        return endpointDefaultLocation()
    }

    /// Whether `location` keeps its data in another service (`aws_s3`, `azure`). Such
    /// locations store empty objects too, as the original does, so that the remote bucket
    /// holds every object.
    func isExternal(_ location: String) -> Bool {
        guard let type = service.configuration.locations[location]?.type else { return false }
        return type == "aws_s3" || type == "azure"
    }

    /// `x-amz-meta-scal-location-constraint` without its prefix, as user metadata keeps it.
    static let locationConstraintMeta = "scal-location-constraint"

    /// The backend of `location`.
    /// - Throws: `S3Error.internalError` when no such location is configured (any more).
    func backend(for location: String) throws(S3Error) -> any DataBackend {
        guard let backend = service.gateway.backend(for: location) else {
            throw S3Error.internalError.with(message: "Unknown data location \(location)")
        }
        return backend
    }

    /// Streams `source` (the data of `object`) to `location`'s backend; the data is durable
    /// when this returns. A remote backend's ETag must match the MD5 computed while the bytes
    /// went out.
    func storeData(_ source: HashingSource, size: Int64?, location: String, object: ObjectIdentity)
        throws(S3Error) -> DataLocation
    {
        let backend = try backend(for: location)
        let stored: DataLocation
        do {
            stored = try backend.put(source, size: size, object: object)
        } catch {
            throw S3Error(error)
        }
        do {
            try Self.verifyRemoteETag(stored.dataStoreETag, source)
        } catch {
            freeData([stored])
            throw error
        }
        return stored
    }

    /// An ETag a remote gave for bytes we streamed to it is the MD5 we computed of them, when it
    /// is an MD5 at all (32 hex digits; SSE-KMS and multipart ETags are not).
    /// - Throws: `S3Error.internalError` when they differ: the bytes changed on the way.
    static func verifyRemoteETag(_ remote: String?, _ source: HashingSource) throws(S3Error) {
        guard let remote, remote.utf8.count == 32, remote.utf8.allSatisfy(\.isHexDigit) else { return }
        let computed = source.md5Hex()
        if remote != computed {
            throw S3Error.internalError.with(
                message:
                    "The data location stored bytes whose MD5 \(remote) differs from the MD5 \(computed) sent."
            )
        }
    }
}

extension UInt8 {
    /// `0-9`, `a-f` (S3 ETags are lower-case hex).
    var isHexDigit: Bool { (0x30...0x39).contains(self) || (0x61...0x66).contains(self) }
}

extension ObjectMD {
    /// The object as a data backend sees it: bucket and key, and the headers a remote keeps
    /// with the data (content headers, user metadata).
    func identity(bucket: String) -> ObjectIdentity {
        var headers = HTTPHeaders()
        let content: [(String, String?)] = [
            ("Content-Type", contentType), ("Cache-Control", cacheControl),
            ("Content-Disposition", contentDisposition), ("Content-Encoding", contentEncoding),
            ("Content-Language", contentLanguage), ("Expires", expires),
        ]
        for (name, value) in content { if let value { headers.add(name, value) } }
        for meta in userMetadata { headers.add(S3Header.metaPrefix + meta.name, meta.value) }
        return ObjectIdentity(bucket: bucket, key: key, headers: headers)
    }
}
