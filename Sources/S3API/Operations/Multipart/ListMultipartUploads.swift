import Digest
import HTTP
import Metadata

extension RequestContext {
    /// ListMultipartUploads: in-progress uploads in key order, then initiation order, with
    /// `prefix`, `delimiter`, `key-marker`, `upload-id-marker`, `max-uploads` (default and cap
    /// 1000) and `encoding-type=url`; an ordered scan of the bucket's upload records.
    /// - Throws: `S3Error.invalidArgument` for a bad max-uploads or encoding-type.
    func listMultipartUploads() throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        var maxUploads = 1000
        if let value = query["max-uploads"] {
            guard let n = Int(value), n >= 0 else {
                throw S3Error.invalidArgument.with(
                    message: "Argument max-uploads must be an integer between 0 and 2147483647"
                )
                .with("ArgumentName", "max-uploads").with("ArgumentValue", value)
            }
            maxUploads = min(n, 1000)
        }
        let urlEncoded: Bool
        switch query["encoding-type"] {
        case nil: urlEncoded = false
        case "url": urlEncoded = true
        case let other?:
            throw S3Error.invalidArgument.with(message: "Invalid Encoding Method specified in Request")
                .with("ArgumentName", "encoding-type").with("ArgumentValue", other)
        }
        let prefix = query["prefix"] ?? ""
        let delimiter = query["delimiter"].flatMap { $0.isEmpty ? nil : $0 }
        let keyMarker = query["key-marker"] ?? ""
        let uploadIDMarker = query["upload-id-marker"] ?? ""
        var filter = MultipartUploads(
            prefix: Array(prefix.utf8), delimiter: delimiter.map { Array($0.utf8) },
            keyMarker: Array(keyMarker.utf8), uploadIDMarker: Array(uploadIDMarker.utf8),
            maxUploads: maxUploads)
        do {
            try runListing(
                store, namespace: BucketCatalog.objectNamespace(bucket),
                keyPrefix: [MultipartCatalog.uploadTag],
                filter: &filter)
        } catch {
            throw S3Error(error)
        }
        let page = filter.result()
        var uploads: [MultipartUpload] = []
        for entry in page.uploads { uploads.append(try Records.decode(MultipartUpload.self, entry.value)) }
        let text: ([UInt8]) -> String = { String(decoding: $0, as: UTF8.self) }
        let encode: (String) -> String = urlEncoded ? { PercentEncoding.encode($0) } : { $0 }

        var xml = XMLWriter()
        xml.element("ListMultipartUploadsResult", xmlns: true) { x in
            x.element("Bucket", bucket.name)
            x.element("KeyMarker", encode(keyMarker))
            x.element("UploadIdMarker", keyMarker.isEmpty ? "" : uploadIDMarker)
            x.element("NextKeyMarker", encode(page.nextKeyMarker.map(text) ?? ""))
            x.element("NextUploadIdMarker", page.nextUploadIDMarker.map(text) ?? "")
            if let delimiter { x.element("Delimiter", encode(delimiter)) }
            x.element("Prefix", encode(prefix))
            x.element("MaxUploads", "\(maxUploads)")
            x.element("IsTruncated", page.isTruncated ? "true" : "false")
            for upload in uploads {
                x.element("Upload") { u in
                    u.element("Key", encode(upload.key))
                    u.element("UploadId", upload.uploadID)
                    u.element("Initiator") { i in
                        i.element("ID", upload.object.ownerID)
                        i.element("DisplayName", upload.object.ownerDisplayName)
                    }
                    u.element("Owner") { o in
                        o.element("ID", upload.object.ownerID)
                        o.element("DisplayName", upload.object.ownerDisplayName)
                    }
                    u.element("StorageClass", upload.object.storageClass)
                    u.element("Initiated", HTTPDate.iso8601(milliseconds: upload.initiated))
                    if let algorithm = upload.checksumAlgorithm { u.element("ChecksumAlgorithm", algorithm) }
                    if let type = upload.checksumType { u.element("ChecksumType", type) }
                }
            }
            for prefix in page.commonPrefixes {
                x.element("CommonPrefixes") { p in p.element("Prefix", encode(text(prefix))) }
            }
            if urlEncoded { x.element("EncodingType", "url") }
        }
        return .xml(xml)
    }
}
