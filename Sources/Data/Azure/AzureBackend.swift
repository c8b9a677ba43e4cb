import Digest
import HTTP

/// Object data in a container of Azure Blob Storage (`azure` locations), through our HTTP
/// client with SharedKey-signed requests (`SharedKeySigner`).
///
/// - Blob names follow `bucketMatch` as aws_s3 names follow it (`RemoteKeyNaming`).
/// - PUT of up to `singlePutLimit` bytes streams one Put Blob; larger bodies, and bodies of
///   unknown length, go as blocks then Put Block List (`AzureBackend+Blocks.swift`). Nothing is
///   spooled locally. The service's Content-MD5 of what it received is checked against the MD5
///   of what was sent; the blob's Content-MD5 is the object's MD5 (the S3 ETag of a
///   single-part object).
/// - Overwritten data never aliases: a write records the blob's ETag and, when the storage
///   account has blob versioning on, its `x-ms-version-id`. GET and DELETE then name that
///   version; without versioning they carry `If-Match` with the ETag, so a newer write of the
///   same name is neither read in place of the old data (`.notFound`) nor deleted (the
///   condition makes the check and the delete one atomic step, unlike aws_s3's HEAD then
///   DELETE). Older versions of a versioned local bucket keep their data only with blob
///   versioning on.
/// - Multipart uploads are blocks of the final blob (`AzureBackend+Multipart.swift`).
/// - Failures of the service (unreachable, too slow, error answers) are
///   `DataError.unavailable` naming the location, within the client's connect and I/O timeouts.
package final class AzureBackend: DataBackend {
    package let configuration: AzureBackendConfiguration
    let remote: AzureRemote
    private let health: HealthCache

    /// Seconds a probe result is reused.
    static let healthTTL = 5.0

    package init(configuration: AzureBackendConfiguration) {
        self.configuration = configuration
        // Probes answer health checks: they must fail fast, whatever the data timeouts are.
        var probeHTTP = configuration.http
        probeHTTP.connectTimeout = min(probeHTTP.connectTimeout, 3)
        probeHTTP.ioTimeout = min(probeHTTP.ioTimeout, 5)
        probeHTTP.maxIdlePerEndpoint = 2
        let probeRemote = AzureRemote(configuration: configuration, http: probeHTTP)
        let health = HealthCache(ttl: Self.healthTTL) { Self.probe(probeRemote) }
        self.health = health
        remote = AzureRemote(configuration: configuration, http: configuration.http) { detail in
            health.record(BackendHealth(ok: false, detail: detail, external: true))
        }
    }

    package var locationName: String { configuration.locationName }

    /// Streams `body` to the blob named after `object`, with its content headers and metadata.
    /// - Throws: `.sizeMismatch`, `.source`, `.unavailable`.
    package func put(_ body: any ByteSource, size: Int64?, object: ObjectIdentity) throws(DataError)
        -> DataLocation
    {
        let blob = blobName(object)
        guard let size, size <= configuration.singlePutLimit else {
            return try putBlocks(body, size: size, blob: blob, object: object)
        }
        let hashed = MD5Source(body)
        var headers = AzureBlobHeaders.content(of: object)
        headers.add("x-ms-blob-type", "BlockBlob")
        let response = try remote.send(
            "PUT", blob: blob, headers: headers, body: .stream(hashed, length: size))
        guard response.status == 201 else { throw remote.failure(response, "Put Blob") }
        response.body.discard()
        let location = written(blob, size: size, response)
        try check(response, sent: hashed.finishBlock(), "Put Blob", undo: location)
        return location
    }

    /// Streams the blob (or `range` of it) back.
    /// - Throws: `.notFound` when the blob, or the version this data was, is gone;
    ///   `.io` for a range outside the data; `.unavailable`.
    package func get(_ location: DataLocation, range: ClosedRange<Int64>?) throws(DataError) -> any ByteSource
    {
        let span = try ByteSpan(range, storedSize: location.size)
        var headers = guardHeaders(location)
        if let range { headers.add("x-ms-range", "bytes=\(range.lowerBound)-\(range.upperBound)") }
        let response = try remote.send(
            "GET", blob: location.key, query: versionQuery(location), headers: headers)
        let whole = span.length == location.size
        switch response.status {
        case 206 where range != nil, 200 where range == nil || whole:
            let length = response.headers["content-length"].flatMap { Int64($0) }
            guard length == span.length else {
                response.body.close()
                throw .unavailable(
                    "data location \(locationName): Get Blob answered \(length.map(String.init) ?? "no") bytes, \(span.length) expected"
                )
            }
            return RemoteBodySource(response.body, locationName: locationName)
        case 404, 412:
            // 412: the blob was written again since; this data is gone.
            response.body.discard()
            throw .notFound
        default:
            throw remote.failure(response, "Get Blob")
        }
    }

    /// Deletes the blob version, or the blob while its ETag is still this data's; a blob that
    /// is gone, or was written again since (412), is left as it is.
    package func delete(_ location: DataLocation) throws(DataError) {
        let response = try remote.send(
            "DELETE", blob: location.key, query: versionQuery(location), headers: guardHeaders(location))
        guard [200, 202, 404, 412].contains(response.status) else {
            throw remote.failure(response, "Delete Blob")
        }
        response.body.discard()
    }

    /// The container's state, probed with Get Container Properties at most every `healthTTL`
    /// seconds.
    package func healthcheck() -> BackendHealth { health.current() }

    private static func probe(_ remote: AzureRemote) -> BackendHealth {
        do {
            let response = try remote.send("GET", blob: nil, query: [("restype", "container")])
            guard response.status == 200 else {
                let failure = remote.failure(response, "Get Container Properties")
                return BackendHealth(ok: false, detail: text(failure), external: true)
            }
            response.body.discard()
            return BackendHealth(
                ok: true, detail: "container \(remote.configuration.containerName) reachable", external: true)
        } catch {
            return BackendHealth(ok: false, detail: text(error), external: true)
        }
    }

    private static func text(_ error: DataError) -> String {
        if case .unavailable(let why) = error { return why }
        return "\(error)"
    }

    func blobName(_ object: ObjectIdentity) -> String {
        RemoteKeyNaming.remoteKey(
            bucket: object.bucket, key: object.key, bucketMatch: configuration.bucketMatch)
    }

    /// Where a successful write of `blob` put the data: its ETag and version.
    func written(_ blob: String, size: Int64, _ response: HTTPClientResponse) -> DataLocation {
        DataLocation(
            location: locationName, key: blob, size: size,
            dataStoreVersionID: response.headers["x-ms-version-id"].flatMap { $0.isEmpty ? nil : $0 },
            dataStoreETag: Self.unquoted(response.headers["etag"]))
    }

    /// Compares the service's Content-MD5 of what it received, when it answers one, with the
    /// MD5 of what was sent; on a mismatch `undo` is deleted.
    /// - Throws: `.unavailable` naming both MD5s.
    func check(_ response: HTTPClientResponse, sent: [UInt8], _ operation: String, undo: DataLocation?)
        throws(DataError)
    {
        guard let answered = response.headers["content-md5"], let stored = Base64.decode(answered),
            stored != sent
        else { return }
        if let undo { try? delete(undo) }
        throw remote.corrupted(operation, sent: Hex.encode(sent), stored: Hex.encode(stored))
    }

    /// `If-Match` with the ETag of data written without a version id.
    private func guardHeaders(_ location: DataLocation) -> HTTPHeaders {
        var headers = HTTPHeaders()
        if location.dataStoreVersionID == nil, let eTag = location.dataStoreETag {
            headers.add("If-Match", "\"\(eTag)\"")
        }
        return headers
    }

    private func versionQuery(_ location: DataLocation) -> [(String, String)] {
        location.dataStoreVersionID.map { [("versionid", $0)] } ?? []
    }

    /// An Azure ETag (`"0x8D4BCC2E4835CD0"`) without its quotes; case is kept, since `If-Match`
    /// compares it exactly.
    static func unquoted(_ eTag: String?) -> String? {
        guard let eTag, !eTag.isEmpty else { return nil }
        var tag = eTag[...]
        if tag.hasPrefix("\"") { tag = tag.dropFirst() }
        if tag.hasSuffix("\"") { tag = tag.dropLast() }
        return String(tag)
    }
}
