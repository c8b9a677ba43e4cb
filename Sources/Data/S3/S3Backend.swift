import HTTP

/// Object data in a bucket of any S3 endpoint (`aws_s3` locations: AWS, SeaweedFS, MinIO,
/// another cloudserver), through our HTTP client with SigV4-signed requests.
///
/// - PUT streams the body to the remote as it arrives (no spooling); the remote answers with
///   its ETag and, on a versioned bucket, its version id, both kept in the `DataLocation`.
/// - GET and ranges stream the remote body back; DELETE removes that remote *version*, so an
///   overwrite in a versioned local bucket never loses the data an older version still needs.
/// - On a remote bucket without versioning (the manual asks for versioning; this is the
///   fallback) every write of a name replaces the remote object: a delete then first checks
///   with HEAD that the remote ETag is still the one this data was written with, so data of a
///   newer write of the same name is left alone. Two writes of identical bytes cannot be told
///   apart this way, and HEAD then DELETE is not atomic; use versioning.
/// - Multipart uploads map to remote multipart uploads (`S3Backend+Multipart.swift`).
/// - Failures of the remote (unreachable, too slow, error answers) are `DataError.unavailable`
///   naming the location, within the client's connect and I/O timeouts.
package final class S3Backend: DataBackend {
    package let configuration: S3BackendConfiguration
    let remote: S3Remote
    private let probeRemote: S3Remote
    private let health: HealthCache

    /// Seconds a probe result is reused.
    static let healthTTL = 5.0

    package init(configuration: S3BackendConfiguration) {
        self.configuration = configuration
        // Probes answer health checks: they must fail fast, whatever the data timeouts are.
        var probeHTTP = configuration.http
        probeHTTP.connectTimeout = min(probeHTTP.connectTimeout, 3)
        probeHTTP.ioTimeout = min(probeHTTP.ioTimeout, 5)
        probeHTTP.maxIdlePerEndpoint = 2
        let probeRemote = S3Remote(configuration: configuration, http: probeHTTP)
        self.probeRemote = probeRemote
        let health = HealthCache(ttl: Self.healthTTL) { Self.probe(probeRemote) }
        self.health = health
        remote = S3Remote(configuration: configuration, http: configuration.http) { detail in
            health.record(BackendHealth(ok: false, detail: detail, external: true))
        }
    }

    package var locationName: String { configuration.locationName }

    /// Streams `body` to the remote object named after `object` (`bucketMatch`), with its
    /// content headers and user metadata (and SSE when configured).
    /// - Throws: `.lengthRequired` without `size` (S3 needs Content-Length), `.sizeMismatch`,
    ///   `.source`, `.unavailable`.
    package func put(_ body: any ByteSource, size: Int64?, object: ObjectIdentity) throws(DataError)
        -> DataLocation
    {
        guard let size else { throw .lengthRequired }
        let key = remoteKey(object)
        let response = try remote.send(
            "PUT", key: key, headers: writeHeaders(object), body: .stream(body, length: size))
        guard response.status == 200 else { throw remote.failure(response, "PutObject") }
        response.body.discard()
        return DataLocation(
            location: locationName, key: key, size: size,
            dataStoreVersionID: response.headers["x-amz-version-id"].flatMap { $0.isEmpty ? nil : $0 },
            dataStoreETag: RemoteError.unquoted(response.headers["etag"]))
    }

    /// Streams the remote version (or `range` of it) back.
    /// - Throws: `.notFound` when the remote answers 404, `.io` for a range outside the data,
    ///   `.unavailable`.
    package func get(_ location: DataLocation, range: ClosedRange<Int64>?) throws(DataError) -> any ByteSource
    {
        let span = try ByteSpan(range, storedSize: location.size)
        var headers = HTTPHeaders()
        if let range { headers.add("Range", "bytes=\(range.lowerBound)-\(range.upperBound)") }
        let response = try remote.send(
            "GET", key: location.key, query: versionQuery(location), headers: headers)
        let whole = span.length == location.size
        switch response.status {
        case 206 where range != nil, 200 where range == nil || whole:
            let length = response.headers["content-length"].flatMap { Int64($0) }
            guard length == span.length else {
                response.body.close()
                throw .unavailable(
                    "data location \(locationName): GetObject answered \(length.map(String.init) ?? "no") bytes, \(span.length) expected"
                )
            }
            return RemoteBodySource(response.body, locationName: locationName)
        case 404:
            response.body.discard()
            throw .notFound
        default:
            throw remote.failure(response, "GetObject")
        }
    }

    /// Deletes the remote version; on a bucket without versioning, the object only while its
    /// ETag is still this data's.
    package func delete(_ location: DataLocation) throws(DataError) {
        if location.dataStoreVersionID == nil {
            let head = try remote.send("HEAD", key: location.key)
            head.body.discard()
            if head.status == 404 { return }
            guard head.status == 200 else { throw remote.failure(head, "HeadObject") }
            guard let expected = location.dataStoreETag,
                RemoteError.unquoted(head.headers["etag"]) == expected
            else { return }
        }
        let response = try remote.send("DELETE", key: location.key, query: versionQuery(location))
        guard [200, 204, 404].contains(response.status) else {
            throw remote.failure(response, "DeleteObject")
        }
        response.body.discard()
    }

    /// The remote bucket's state, probed with HEAD (and its versioning read) at most every
    /// `healthTTL` seconds.
    package func healthcheck() -> BackendHealth { health.current() }

    /// HEAD of the remote bucket, then GetBucketVersioning for the detail.
    private static func probe(_ remote: S3Remote) -> BackendHealth {
        do {
            let head = try remote.send("HEAD", key: nil)
            guard head.status == 200 else {
                let failure = remote.failure(head, "HeadBucket")
                return BackendHealth(ok: false, detail: Self.text(failure), external: true)
            }
            head.body.discard()
            var detail = "bucket \(remote.configuration.bucketName) reachable"
            let versioning = try remote.send("GET", key: nil, query: [("versioning", nil)])
            if versioning.status == 200 {
                let status = XMLText.first("Status", in: try remote.document(versioning)) ?? "not enabled"
                detail += "; versioning \(status)"
            } else {
                versioning.body.discard()
            }
            return BackendHealth(ok: true, detail: detail, external: true)
        } catch {
            return BackendHealth(ok: false, detail: Self.text(error), external: true)
        }
    }

    private static func text(_ error: DataError) -> String {
        if case .unavailable(let why) = error { return why }
        return "\(error)"
    }

    func remoteKey(_ object: ObjectIdentity) -> String {
        RemoteKeyNaming.remoteKey(
            bucket: object.bucket, key: object.key, bucketMatch: configuration.bucketMatch)
    }

    /// The object's content headers and user metadata, and SSE when configured.
    func writeHeaders(_ object: ObjectIdentity) -> HTTPHeaders {
        var headers = object.headers
        if configuration.serverSideEncryption { headers.set("x-amz-server-side-encryption", "AES256") }
        return headers
    }

    private func versionQuery(_ location: DataLocation) -> [(String, String?)] {
        location.dataStoreVersionID.map { [("versionId", $0)] } ?? []
    }
}
