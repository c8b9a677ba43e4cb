import Digest
import HTTP

extension RequestContext {
    /// UploadPartCopy: makes a part of an upload from a source object (`x-amz-copy-source`),
    /// whole or the `x-amz-copy-source-range` `bytes=first-last` of it, streaming the bytes
    /// from the source's data into the upload's location. Source conditions
    /// (`x-amz-copy-source-if-*`) are checked first.
    /// - Throws: `S3Error.invalidArgument` for a bad part number or range syntax,
    ///   `.invalidRange` for a range past the source, `.preconditionFailed`, `.noSuchUpload`,
    ///   `.noSuchKey`.
    func uploadPartCopy(key: String, uploadID: String) throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        let partNumber = try MultipartCatalog.partNumber(query["partNumber"])
        let upload = try loadUpload(bucket: bucket, key: key, uploadID: uploadID)
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
        let range = try Self.copySourceRange(headers[S3Header.copySourceRange], size: sourceMD.size)
        let length = range.map { $0.upperBound - $0.lowerBound + 1 } ?? sourceMD.size
        if length > MultipartCatalog.maximumPartSize {
            throw S3Error.invalidRequest.with(
                message:
                    "The specified copy source is larger than the maximum allowable size for a copy source: \(MultipartCatalog.maximumPartSize)"
            )
        }

        let algorithm = upload.checksumAlgorithm.flatMap { ChecksumAlgorithm(rawValue: $0) }
        let hashing = HashingSource(
            length == 0 ? BufferSource([]) : try openData(sourceMD, range: range),
            checksum: algorithm?.makeHasher(),
            limit: length)
        var part = PartRecord(
            partNumber: partNumber, size: 0, eTag: "", lastModified: 0,
            location: try storePart(hashing, size: length, upload: upload))
        part.size = hashing.count
        part.eTag = hashing.md5Hex()
        part.lastModified = HTTPDate.nowMilliseconds()
        part.checksum = hashing.checksumBase64()
        try commitPart(part, upload: upload, bucket: bucket)

        var xml = XMLWriter()
        xml.element("CopyPartResult", xmlns: true) { x in
            x.element("LastModified", HTTPDate.iso8601(milliseconds: part.lastModified))
            x.element("ETag", "\"\(part.eTag)\"")
            if let algorithm, let value = part.checksum { x.element("Checksum" + algorithm.rawValue, value) }
        }
        var responseHeaders = HTTPHeaders()
        if let version = Versioning.responseVersion(of: sourceMD, status: sourceBucket.versioning) {
            responseHeaders.add(S3Header.copySourceVersionID, encode(version))
        }
        return .xml(xml, headers: responseHeaders)
    }

    /// `x-amz-copy-source-range: bytes=first-last` (both required, inclusive), nil when absent.
    /// - Throws: `S3Error.invalidArgument` for another form, `.invalidRange` when `last` is
    ///   not within the source.
    static func copySourceRange(_ header: String?, size: Int64) throws(S3Error) -> ClosedRange<Int64>? {
        guard let header else { return nil }
        let invalid = S3Error.invalidArgument.with(
            message:
                "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy"
        ).with("ArgumentName", "x-amz-copy-source-range").with("ArgumentValue", header)
        guard header.hasPrefix("bytes=") else { throw invalid }
        let spec = header.dropFirst(6)
        guard let dash = spec.firstIndex(of: "-"), let first = Int64(spec[..<dash]),
            let last = Int64(spec[spec.index(after: dash)...]), first >= 0, last >= first
        else { throw invalid }
        guard last < size else {
            throw S3Error.invalidRange.with("RangeRequested", header).with("ActualObjectSize", "\(size)")
        }
        return first...last
    }
}
