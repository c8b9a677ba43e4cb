import Digest
import HTTP

extension RequestContext {
    /// ListParts: the parts of an upload in part number order, after `part-number-marker`, at
    /// most `max-parts` (default and cap 1000), with `NextPartNumberMarker` when truncated.
    /// - Throws: `S3Error.noSuchUpload`, `.invalidArgument` for a bad max-parts or marker.
    func listParts(key: String, uploadID: String) throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        let upload = try loadUpload(bucket: bucket, key: key, uploadID: uploadID)
        var maxParts = 1000
        if let value = query["max-parts"] {
            guard let n = Int(value), n >= 0 else {
                throw S3Error.invalidArgument.with(
                    message: "Argument max-parts must be an integer between 0 and 2147483647"
                )
                .with("ArgumentName", "max-parts").with("ArgumentValue", value)
            }
            maxParts = min(n, 1000)
        }
        var marker = 0
        if let value = query["part-number-marker"], !value.isEmpty {
            guard let n = Int(value), n >= 0 else {
                throw S3Error.invalidArgument.with(
                    message: "Argument part-number-marker must be an integer between 0 and 2147483647"
                )
                .with("ArgumentName", "part-number-marker").with("ArgumentValue", value)
            }
            marker = n
        }
        // One more than asked tells whether the page is truncated.
        var parts = try MultipartCatalog.loadParts(
            store, bucket: bucket, uploadID: uploadID, after: marker, limit: maxParts + 1)
        let truncated = parts.count > maxParts
        if truncated { parts.removeLast(parts.count - maxParts) }

        var xml = XMLWriter()
        xml.element("ListPartsResult", xmlns: true) { x in
            x.element("Bucket", bucket.name)
            x.element("Key", key)
            x.element("UploadId", uploadID)
            x.element("PartNumberMarker", "\(marker)")
            x.element("NextPartNumberMarker", "\(parts.last?.partNumber ?? 0)")
            x.element("MaxParts", "\(maxParts)")
            x.element("IsTruncated", truncated ? "true" : "false")
            for part in parts {
                x.element("Part") { p in
                    p.element("PartNumber", "\(part.partNumber)")
                    p.element("LastModified", HTTPDate.iso8601(milliseconds: part.lastModified))
                    p.element("ETag", "\"\(part.eTag)\"")
                    p.element("Size", "\(part.size)")
                    if let algorithm = upload.checksumAlgorithm, let value = part.checksum {
                        p.element("Checksum" + algorithm, value)
                    }
                }
            }
            x.element("Initiator") { i in
                i.element("ID", upload.object.ownerID)
                i.element("DisplayName", upload.object.ownerDisplayName)
            }
            x.element("Owner") { o in
                o.element("ID", upload.object.ownerID)
                o.element("DisplayName", upload.object.ownerDisplayName)
            }
            x.element("StorageClass", upload.object.storageClass)
            if let algorithm = upload.checksumAlgorithm { x.element("ChecksumAlgorithm", algorithm) }
            if let type = upload.checksumType { x.element("ChecksumType", type) }
        }
        return .xml(xml)
    }
}
