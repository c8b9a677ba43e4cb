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
        var part: PartRecord
        if algorithm == nil,
            let eTag = try copyInsideBackend(sourceMD, range: range, upload: upload, partNumber: partNumber)
        {
            part = PartRecord(
                partNumber: partNumber, size: length, eTag: eTag, lastModified: 0, location: nil,
                dataStoreETag: eTag)
        } else {
            let hashing = HashingSource(
                length == 0 ? BufferSource([]) : try openData(sourceMD, range: range),
                checksum: algorithm?.makeHasher(),
                limit: length)
            let stored = try storePart(
                hashing, size: length, upload: upload, partNumber: partNumber, bucket: bucket)
            part = PartRecord(
                partNumber: partNumber, size: hashing.count, eTag: hashing.md5Hex(), lastModified: 0,
                location: stored.location, checksum: hashing.checksumBase64(),
                dataStoreETag: stored.dataStoreETag)
        }
        part.lastModified = HTTPDate.nowMilliseconds()
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

    /// Makes the part inside the backend when the source's data is one piece in the upload's own
    /// location and that backend copies without moving bytes (aws_s3 UploadPartCopy); returns
    /// the part's ETag, nil when the bytes must be streamed instead. The remote's ETag is the MD5
    /// of the part's bytes; anything else is not trusted as one, and the part is streamed over it.
    private func copyInsideBackend(
        _ source: ObjectMD, range: ClosedRange<Int64>?, upload: MultipartUpload, partNumber: Int
    ) throws(S3Error) -> String? {
        guard let remote = upload.remote, source.locations.count == 1, source.size > 0,
            let piece = source.locations.first, piece.location == upload.location, piece.size == source.size
        else { return nil }
        let backend = try backend(for: upload.location)
        let eTag: String
        do {
            eTag = try backend.uploadPartCopy(
                from: piece, range: range, upload: remote, partNumber: partNumber)
        } catch .notImplemented {
            return nil
        } catch {
            throw S3Error(error)
        }
        return eTag.utf8.count == 32 && eTag.utf8.allSatisfy(\.isHexDigit) ? eTag : nil
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
