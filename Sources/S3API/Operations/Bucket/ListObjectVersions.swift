import HTTP
import Metadata

extension RequestContext {
    /// ListObjectVersions: every version and delete marker, by key then newest first, with
    /// `prefix`, `delimiter`, `key-marker`, `version-id-marker`, `max-keys`, `encoding-type`.
    /// The newest version of each key is `IsLatest`.
    func listObjectVersions() throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        let params = try ListParameters(query, version: 1)
        let keyMarker = query["key-marker"].flatMap { $0.isEmpty ? nil : $0 }
        var versionIDMarker = query["version-id-marker"].flatMap { $0.isEmpty ? nil : $0 }
        if versionIDMarker != nil && keyMarker == nil {
            throw S3Error.invalidArgument.with(
                message: "A version-id marker cannot be specified without a key marker."
            )
            .with("ArgumentName", "version-id-marker").with("ArgumentValue", versionIDMarker ?? "")
        }
        var storedMarker: [UInt8]?
        if let marker = versionIDMarker, let keyMarker {
            switch try VersionTarget(marker, argument: "version-id-marker") {
            case .id(let raw): storedMarker = Array(raw.utf8)
            case .null:
                // The null version's place: after its stored ID; one without an ID (put
                // before versioning) is a master alone, so the page starts after the key.
                if let id = try resolve(.null, key: keyMarker, bucket: bucket)?.versionID {
                    storedMarker = Array(id.utf8)
                } else {
                    versionIDMarker = nil
                }
            }
        }
        var filter = DelimiterVersions<ObjectMD>(
            prefix: Array(params.prefix.utf8), delimiter: params.delimiter.map { Array($0.utf8) },
            keyMarker: keyMarker.map { Array($0.utf8) }, versionIDMarker: storedMarker,
            maxKeys: params.maxKeys)
        do {
            try runListing(
                store, namespace: BucketCatalog.objectNamespace(bucket),
                keyPrefixes: [[VersionedLayout.masterTag], [VersionedLayout.versionTag]], filter: &filter)
        } catch {
            throw S3Error(error)
        }
        let page = filter.result()
        let encodeKey: (String) -> String = params.urlEncoded ? { PercentEncoding.encode($0) } : { $0 }
        var entries: [(md: ObjectMD, isLatest: Bool)] = []
        var previousKey: [UInt8]? = storedMarker == nil ? nil : keyMarker.map { Array($0.utf8) }
        var nullListed = false
        for entry in page.versions {
            let md = try Records.decode(ObjectMD.self, entry.value)
            let isLatest = entry.key != previousKey
            if isLatest { nullListed = false }
            // A key has one null version. The master and version ranges are read in separate
            // snapshots, so a write that moves a null version from its master to a version key
            // between two reads could show it twice: the first one stands.
            if md.isNull == true || md.versionID == nil {
                if nullListed { continue }
                nullListed = true
            }
            entries.append((md, isLatest))
            previousKey = entry.key
        }
        // Every entry's VersionId: `null` for null versions, whatever the bucket's state.
        let shownID: (ObjectMD) -> String = { md in
            self.encode(Versioning.responseVersion(of: md, status: .enabled) ?? .null)
        }

        var xml = XMLWriter()
        xml.element("ListVersionsResult", xmlns: true) { x in
            x.element("Name", bucket.name)
            x.element("Prefix", encodeKey(params.prefix))
            x.element("KeyMarker", encodeKey(keyMarker ?? ""))
            x.element("VersionIdMarker", versionIDMarker ?? "")
            if page.isTruncated {
                if let next = page.nextKeyMarker {
                    x.element("NextKeyMarker", encodeKey(String(decoding: next, as: UTF8.self)))
                }
                if page.nextVersionIDMarker != nil, let md = entries.last?.md {
                    x.element("NextVersionIdMarker", shownID(md))
                }
            }
            x.element("MaxKeys", "\(params.maxKeys)")
            if let delimiter = params.delimiter { x.element("Delimiter", encodeKey(delimiter)) }
            x.element("IsTruncated", page.isTruncated ? "true" : "false")
            if params.urlEncoded { x.element("EncodingType", "url") }
            for (md, isLatest) in entries {
                let versionID = shownID(md)
                x.element(md.isDeleteMarker == true ? "DeleteMarker" : "Version") { v in
                    v.element("Key", encodeKey(md.key))
                    v.element("VersionId", versionID)
                    v.element("IsLatest", isLatest ? "true" : "false")
                    v.element("LastModified", HTTPDate.iso8601(milliseconds: md.lastModified))
                    if md.isDeleteMarker != true {
                        v.element("ETag", "\"\(md.eTag)\"")
                        v.element("Size", "\(md.size)")
                        v.element("StorageClass", md.storageClass)
                    }
                    v.element("Owner") { o in
                        o.element("ID", md.ownerID)
                        o.element("DisplayName", md.ownerDisplayName)
                    }
                }
            }
            for prefix in page.commonPrefixes {
                x.element("CommonPrefixes") { p in
                    p.element("Prefix", encodeKey(String(decoding: prefix, as: UTF8.self)))
                }
            }
        }
        return .xml(xml)
    }
}
