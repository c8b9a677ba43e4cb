import Digest
import HTTP

extension RequestContext {
    /// UploadPart: streams one part (1...10000) of an upload to its data location while
    /// hashing it (MD5 for its ETag, the upload's checksum algorithm), then commits its record
    /// and data reference together. Uploading a part number again replaces that part.
    /// - Throws: `S3Error.invalidArgument` for a bad part number, `.noSuchUpload`,
    ///   `.entityTooLarge` past 5 GiB, `.badDigest` for a checksum mismatch, `.incompleteBody`.
    func uploadPart(key: String, uploadID: String) throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        let partNumber = try MultipartCatalog.partNumber(query["partNumber"])
        let upload = try loadUpload(bucket: bucket, key: key, uploadID: uploadID)
        let checksum = try ChecksumRequest.parse(headers)
        let algorithm =
            checksum?.algorithm ?? upload.checksumAlgorithm.flatMap { ChecksumAlgorithm(rawValue: $0) }
        // An upload created with an algorithm takes only parts that carry that checksum.
        if let expected = upload.checksumAlgorithm, checksum?.algorithm.rawValue != expected {
            throw S3Error.invalidRequest.with(
                message:
                    "Checksum Type mismatch occurred, expected checksum Type: \(expected.lowercased()), actual checksum Type: \(checksum?.algorithm.rawValue.lowercased() ?? "null")"
            )
        }
        let size = auth.decodedContentLength
        if size == nil && request.contentLength == nil && headers["transfer-encoding"] == nil {
            throw S3Error.missingContentLength
        }
        let limit = min(MultipartCatalog.maximumPartSize, service.configuration.maxObjectSize)
        if let size, size > limit {
            throw S3Error.entityTooLarge.with("ProposedSize", "\(size)").with("MaxSizeAllowed", "\(limit)")
        }

        let source = HashingSource(
            auth.body, checksum: algorithm?.makeHasher(), limit: limit,
            verify: checksumVerifier(checksum))
        let stored = try storePart(source, size: size, upload: upload, partNumber: partNumber, bucket: bucket)
        var part = PartRecord(
            partNumber: partNumber, size: 0, eTag: "", lastModified: 0, location: stored.location,
            dataStoreETag: stored.dataStoreETag)
        part.size = source.count
        part.eTag = source.md5Hex()
        part.lastModified = HTTPDate.nowMilliseconds()
        let computed = source.checksumBase64()
        // Kept only for an upload with a checksum algorithm: the others get no composite.
        if let value = computed, upload.checksumAlgorithm != nil { part.checksum = value }
        try commitPart(part, upload: upload, bucket: bucket)

        var responseHeaders = HTTPHeaders()
        responseHeaders.add("ETag", "\"\(part.eTag)\"")
        if let algorithm, let computed { responseHeaders.add(algorithm.headerName, computed) }
        return .empty(headers: responseHeaders)
    }
}
