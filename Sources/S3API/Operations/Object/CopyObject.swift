import Digest
import HTTP

extension RequestContext {
    /// CopyObject: copies a source object (`x-amz-copy-source`, URL-encoded, optionally with
    /// `?versionId=`) onto `key`, streaming its bytes into the destination's location.
    /// Metadata comes from the source (`COPY`, the default) or the request (`REPLACE`);
    /// copying an object onto itself needs `REPLACE`.
    func copyObject(key: String) throws(S3Error) -> HTTPResponse {
        try Self.validate(key: key)
        try Self.refuseVersionID(query)
        let bucket = try ownedBucket()
        try UnsupportedFeatures.refuseObjectWrite(headers)
        let source = try CopySource.parse(headers[S3Header.copySource] ?? "")
        guard let sourceBucket = try service.buckets.load(source.bucket) else {
            throw S3Error.noSuchBucket.with("BucketName", source.bucket)
        }
        try authorizeOwner(sourceBucket)
        let sourceMD = try loadObject(
            bucket: sourceBucket, key: source.key, versionID: source.versionID,
            deleteMarkerError: S3Error.invalidRequest.with(
                message:
                    "The source of a copy request may not specifically refer to a delete marker by version id."
            ))
        switch Conditions(headers, prefix: "x-amz-copy-source-").evaluate(
            eTag: sourceMD.eTag, lastModified: sourceMD.lastModified)
        {
        case .proceed: break
        case .notModified, .preconditionFailed: throw S3Error.preconditionFailed
        }
        let directive = headers[S3Header.metadataDirective]?.uppercased() ?? "COPY"
        guard directive == "COPY" || directive == "REPLACE" else {
            throw S3Error.invalidArgument.with(message: "Unknown metadata directive.")
        }
        if sourceBucket.uid == bucket.uid, source.key == key, directive == "COPY",
            headers[S3Header.storageClass] == nil, source.versionID == nil || bucket.versioning == nil
        {
            throw S3Error.invalidRequest.with(
                message:
                    "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes."
            )
        }
        if sourceMD.size > service.configuration.maxObjectSize {
            throw S3Error.invalidRequest.with(
                message:
                    "The specified copy source is larger than the maximum allowable size for a copy source: \(service.configuration.maxObjectSize)"
            )
        }

        var md = ObjectMD(
            key: key, size: sourceMD.size, eTag: "", lastModified: 0, ownerID: account.canonicalID,
            ownerDisplayName: account.name)
        if directive == "REPLACE" {
            try ObjectHeaders.apply(headers, to: &md)
        } else {
            md.contentType = sourceMD.contentType
            md.contentEncoding = sourceMD.contentEncoding
            md.contentDisposition = sourceMD.contentDisposition
            md.contentLanguage = sourceMD.contentLanguage
            md.cacheControl = sourceMD.cacheControl
            md.expires = sourceMD.expires
            md.userMetadata = sourceMD.userMetadata
            md.storageClass = headers[S3Header.storageClass] ?? "STANDARD"
        }
        let algorithm =
            headers[S3Header.checksumAlgorithm].flatMap { ChecksumAlgorithm(rawValue: $0.uppercased()) }
            ?? sourceMD.checksum.flatMap { ChecksumAlgorithm(rawValue: $0.algorithm) }
        let hashing = HashingSource(
            try openData(sourceMD, range: nil), checksum: algorithm?.makeHasher(), limit: sourceMD.size)
        let target = try placement(for: bucket, object: md)
        if sourceMD.size == 0 && !isExternal(target) {
            try drain(hashing)
        } else {
            md.locations = [
                try storeData(
                    hashing, size: sourceMD.size, location: target, object: md.identity(bucket: bucket.name))
            ]
        }
        md.eTag = hashing.md5Hex()
        if let algorithm, let value = hashing.checksumBase64() {
            md.checksum = Checksum(algorithm: algorithm.rawValue, value: value, type: "FULL_OBJECT")
        }
        let outcome = try commitObject(md, bucket: bucket)
        md.lastModified = outcome.stored?.lastModified ?? HTTPDate.nowMilliseconds()

        var xml = XMLWriter()
        xml.element("CopyObjectResult", xmlns: true) { x in
            x.element("LastModified", HTTPDate.iso8601(milliseconds: md.lastModified))
            x.element("ETag", "\"\(md.eTag)\"")
            if let checksum = md.checksum { x.element("Checksum" + checksum.algorithm, checksum.value) }
        }
        var responseHeaders = HTTPHeaders()
        if let version = Versioning.responseVersion(of: sourceMD, status: sourceBucket.versioning) {
            responseHeaders.add(S3Header.copySourceVersionID, encode(version))
        }
        addVersionHeaders(outcome, to: &responseHeaders)
        return .xml(xml, headers: responseHeaders)
    }
}

/// The object named by `x-amz-copy-source`: `[/]bucket/key[?versionId=id]`, URL-encoded.
struct CopySource: Equatable {
    var bucket: String
    var key: String
    var versionID: String?

    /// - Throws: `S3Error.invalidArgument` ("Invalid copy source ...") for an unparsable value.
    static func parse(_ header: String) throws(S3Error) -> CopySource {
        let invalid = S3Error.invalidArgument.with(message: "Invalid copy source object key")
            .with("ArgumentName", "x-amz-copy-source").with("ArgumentValue", header)
        var text = Substring(header)
        var versionID: String?
        if let q = text.firstIndex(of: "?") {
            let query = text[text.index(after: q)...]
            text = text[..<q]
            for item in query.split(separator: "&") where item.hasPrefix("versionId=") {
                versionID = PercentEncoding.decode(item.dropFirst(10), plusAsSpace: false)
            }
        }
        guard let decoded = PercentEncoding.decode(text, plusAsSpace: false) else { throw invalid }
        var path = Substring(decoded)
        if path.hasPrefix("/") { path = path.dropFirst() }
        guard let slash = path.firstIndex(of: "/") else { throw invalid }
        let bucket = String(path[..<slash])
        let key = String(path[path.index(after: slash)...])
        guard !bucket.isEmpty, !key.isEmpty else { throw invalid }
        return CopySource(bucket: bucket, key: key, versionID: versionID)
    }
}
