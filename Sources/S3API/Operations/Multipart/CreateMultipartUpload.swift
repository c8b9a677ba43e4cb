import Digest
import HTTP
import Metadata

extension RequestContext {
    /// CreateMultipartUpload: records an upload of `key` with the object's content headers,
    /// user metadata, storage class and checksum algorithm; answers its new upload ID. A
    /// location that assembles uploads itself (aws_s3) gets its remote upload created first.
    /// - Throws: `S3Error.invalidRequest` for an unknown checksum algorithm or type,
    ///   `.invalidStorageClass`, `.metadataTooLarge`, `.keyTooLongError`.
    func createMultipartUpload(key: String) throws(S3Error) -> HTTPResponse {
        try Self.validate(key: key)
        let bucket = try ownedBucket()
        try UnsupportedFeatures.refuseObjectWrite(headers)
        var object = ObjectMD(
            key: key, size: 0, eTag: "", lastModified: 0, ownerID: account.canonicalID,
            ownerDisplayName: account.name)
        try ObjectHeaders.apply(headers, to: &object)
        var algorithm: ChecksumAlgorithm?
        if let named = headers[S3Header.checksumAlgorithm] {
            guard let known = ChecksumAlgorithm(rawValue: named.uppercased()) else {
                throw S3Error.invalidRequest.with(
                    message:
                        "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]"
                )
            }
            algorithm = known
        }
        let checksumType = headers["x-amz-checksum-type"]?.uppercased()
        if let checksumType {
            guard checksumType == "COMPOSITE" || checksumType == "FULL_OBJECT", let algorithm else {
                throw S3Error.invalidRequest.with(
                    message:
                        "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header."
                )
            }
            // Only CRCs combine into a full-object value; CRC64NVME has no composite form.
            let combinable = MultipartChecksumCombine.parameters(algorithm) != nil
            if checksumType == "FULL_OBJECT" ? !combinable : algorithm == .crc64nvme {
                throw S3Error.invalidRequest.with(
                    message:
                        "The \(checksumType) checksum type cannot be used with the \(algorithm.rawValue.lowercased()) checksum algorithm."
                )
            }
        }
        let location = try placement(for: bucket, object: object)
        let upload = MultipartUpload(
            uploadID: MultipartCatalog.newUploadID(), key: key, initiated: HTTPDate.nowMilliseconds(),
            location: location, object: object, checksumAlgorithm: algorithm?.rawValue,
            checksumType: algorithm == nil
                ? nil : (checksumType ?? (algorithm == .crc64nvme ? "FULL_OBJECT" : "COMPOSITE")),
            remote: try startRemoteUpload(object.identity(bucket: bucket.name), location: location))
        do {
            try commit(
                [
                    .put(
                        namespace: BucketCatalog.objectNamespace(bucket),
                        key: MultipartCatalog.uploadKey(key: key, uploadID: upload.uploadID),
                        value: try Records.encode(upload))
                ], into: bucket)
        } catch {
            abandonRemoteUpload(upload)
            throw error
        }

        var xml = XMLWriter()
        xml.element("InitiateMultipartUploadResult", xmlns: true) { x in
            x.element("Bucket", bucket.name)
            x.element("Key", key)
            x.element("UploadId", upload.uploadID)
        }
        var responseHeaders = HTTPHeaders()
        if let algorithm = upload.checksumAlgorithm, let type = upload.checksumType {
            responseHeaders.add(S3Header.checksumAlgorithm, algorithm)
            responseHeaders.add("x-amz-checksum-type", type)
        }
        return .xml(xml, headers: responseHeaders)
    }
}
