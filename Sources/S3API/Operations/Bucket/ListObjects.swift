import Digest
import HTTP
import Metadata

extension RequestContext {
    /// ListObjects (V1) and ListObjectsV2: a page of keys in byte order from `prefix`, after
    /// `marker` / `start-after` / `continuation-token`, with `delimiter` rolling keys up into
    /// CommonPrefixes. The scan walks master records only, starts at the page and skips whole
    /// common prefixes, so a page costs the page, not the bucket nor its versions. A bucket
    /// that has (ever had) versioning is listed by `DelimiterMaster`, a plain one by
    /// `Delimiter` (docs 7.3.1).
    func listObjects(version: Int) throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        let params = try ListParameters(query, version: version)
        let prefix = Array(params.prefix.utf8)
        let delimiter = params.delimiter.map { Array($0.utf8) }
        let marker = params.effectiveMarker.map { Array($0.utf8) }
        let namespace = BucketCatalog.objectNamespace(bucket)
        let masters = [VersionedLayout.masterTag]
        let page: ListingResult
        do {
            if bucket.versioning != nil {
                var filter = DelimiterMaster(
                    prefix: prefix, delimiter: delimiter, marker: marker, maxKeys: params.maxKeys)
                try runListing(store, namespace: namespace, keyPrefix: masters, filter: &filter)
                page = filter.result()
            } else {
                var filter = Delimiter(
                    prefix: prefix, delimiter: delimiter, marker: marker, maxKeys: params.maxKeys)
                try runListing(store, namespace: namespace, keyPrefix: masters, filter: &filter)
                page = filter.result()
            }
        } catch {
            throw S3Error(error)
        }
        var entries: [ObjectMD] = []
        entries.reserveCapacity(page.contents.count)
        for entry in page.contents { entries.append(try Records.decode(ObjectMD.self, entry.value)) }
        let prefixes = page.commonPrefixes.map { String(decoding: $0, as: UTF8.self) }
        let encode: (String) -> String = params.urlEncoded ? { PercentEncoding.encode($0) } : { $0 }

        var xml = XMLWriter()
        xml.element("ListBucketResult", xmlns: true) { x in
            x.element("Name", bucket.name)
            x.element("Prefix", encode(params.prefix))
            if version == 1 {
                x.element("Marker", encode(params.marker ?? ""))
                if let next = page.nextMarker {
                    x.element("NextMarker", encode(String(decoding: next, as: UTF8.self)))
                }
            } else {
                if let startAfter = params.startAfter { x.element("StartAfter", encode(startAfter)) }
                if let token = params.continuationToken { x.element("ContinuationToken", token) }
                if page.isTruncated, let next = page.nextContinuationMarker {
                    x.element("NextContinuationToken", Base64.encode(next))
                }
                x.element("KeyCount", "\(entries.count + prefixes.count)")
            }
            x.element("MaxKeys", "\(params.maxKeys)")
            if let delimiter = params.delimiter { x.element("Delimiter", encode(delimiter)) }
            x.element("IsTruncated", page.isTruncated ? "true" : "false")
            if params.urlEncoded { x.element("EncodingType", "url") }
            for md in entries {
                x.element("Contents") { c in
                    c.element("Key", encode(md.key))
                    c.element("LastModified", HTTPDate.iso8601(milliseconds: md.lastModified))
                    c.element("ETag", "\"\(md.eTag)\"")
                    c.element("Size", "\(md.size)")
                    if version == 1 || params.fetchOwner {
                        c.element("Owner") { o in
                            o.element("ID", md.ownerID)
                            o.element("DisplayName", md.ownerDisplayName)
                        }
                    }
                    c.element("StorageClass", md.storageClass)
                    if let checksum = md.checksum { c.element("ChecksumAlgorithm", checksum.algorithm) }
                }
            }
            for prefix in prefixes {
                x.element("CommonPrefixes") { p in p.element("Prefix", encode(prefix)) }
            }
        }
        return .xml(xml)
    }
}

/// The query parameters of ListObjects V1/V2, validated.
struct ListParameters {
    var prefix = ""
    var delimiter: String?
    var marker: String?
    var startAfter: String?
    var continuationToken: String?
    var maxKeys = 1000
    var urlEncoded = false
    var fetchOwner = false

    /// - Throws: `S3Error.invalidArgument` for a bad max-keys, encoding-type or token.
    init(_ query: QueryParameters, version: Int) throws(S3Error) {
        prefix = query["prefix"] ?? ""
        if let delimiter = query["delimiter"], !delimiter.isEmpty { self.delimiter = delimiter }
        if let value = query["max-keys"] {
            guard let n = Int(value), n >= 0 else {
                throw S3Error.invalidArgument.with(
                    message: "Provided max-keys not an integer or within integer range"
                )
                .with("ArgumentName", "max-keys").with("ArgumentValue", value)
            }
            maxKeys = min(n, 1000)
        }
        if let encoding = query["encoding-type"] {
            guard encoding.lowercased() == "url" else {
                throw S3Error.invalidArgument.with(message: "Invalid Encoding Method specified in Request")
                    .with("ArgumentName", "encoding-type").with("ArgumentValue", encoding)
            }
            urlEncoded = true
        }
        if version == 1 {
            marker = query["marker"]
        } else {
            startAfter = query["start-after"]
            fetchOwner = query["fetch-owner"] == "true"
            if let token = query["continuation-token"] {
                guard !token.isEmpty, let bytes = Base64.decode(token),
                    let decoded = String(validating: bytes, as: UTF8.self)
                else {
                    throw S3Error.invalidArgument.with(
                        message: "The continuation token provided is incorrect"
                    )
                    .with("ArgumentName", "continuation-token")
                }
                continuationToken = token
                marker = decoded
            }
        }
    }

    /// Where the page starts (exclusive): the continuation token wins over start-after.
    var effectiveMarker: String? {
        if let marker { return marker }
        return startAfter
    }
}
