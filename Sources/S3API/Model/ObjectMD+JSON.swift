import Data

/// The JSON of an `ObjectMD`, written and read field by field (`JSONReader`, `JSONWriter`). The
/// shape is exactly what `Codable` produces for the struct, so either side can read the other.
/// A field added to `ObjectMD` must be added here too (the round-trip test checks every field).
extension ObjectMD {
    /// The stored form.
    func jsonBytes() -> [UInt8] {
        var w = JSONWriter()
        w.object { o in
            o.field("mdVersion", Int64(mdVersion))
            o.field("key", key)
            o.field("size", size)
            o.field("eTag", eTag)
            o.field("lastModified", lastModified)
            o.field("ownerID", ownerID)
            o.field("ownerDisplayName", ownerDisplayName)
            o.field("contentType", contentType)
            o.field("contentEncoding", contentEncoding)
            o.field("contentDisposition", contentDisposition)
            o.field("contentLanguage", contentLanguage)
            o.field("cacheControl", cacheControl)
            o.field("expires", expires)
            o.array("userMetadata", userMetadata) { w, meta in
                w.object { m in
                    m.field("name", meta.name)
                    m.field("value", meta.value)
                }
            }
            o.field("storageClass", storageClass)
            if let checksum {
                o.object("checksum") { c in
                    c.field("algorithm", checksum.algorithm)
                    c.field("value", checksum.value)
                    c.field("type", checksum.type)
                }
            }
            o.array("locations", locations) { w, location in
                w.object { l in
                    l.field("location", location.location)
                    l.field("key", location.key)
                    l.field("size", location.size)
                    l.field("start", location.start)
                    l.field("dataStoreVersionID", location.dataStoreVersionID)
                    l.field("dataStoreETag", location.dataStoreETag)
                }
            }
            if let partSizes { o.array("partSizes", partSizes) { w, size in w.element(size) } }
            o.field("uploadID", uploadID)
            o.field("versionId", versionID)
            o.field("isNull", isNull)
            o.field("nullVersionId", nullVersionID)
            o.field("isDeleteMarker", isDeleteMarker)
        }
        return w.bytes
    }

    /// Reads the stored form, of this format or an older one (migrated: see `ObjectMD`);
    /// unknown fields are skipped.
    init(json: [UInt8]) throws(JSONReader.Failure) {
        self.init(key: "", size: 0, eTag: "", lastModified: 0, ownerID: "", ownerDisplayName: "")
        var r = JSONReader(json)
        try r.object { r, name throws(JSONReader.Failure) in
            switch name {
            case "mdVersion": mdVersion = Int(try r.int64())
            case "key": key = try r.string()
            case "size": size = try r.int64()
            case "eTag": eTag = try r.string()
            case "lastModified": lastModified = try r.int64()
            case "ownerID": ownerID = try r.string()
            case "ownerDisplayName": ownerDisplayName = try r.string()
            case "contentType": contentType = try r.optionalString()
            case "contentEncoding": contentEncoding = try r.optionalString()
            case "contentDisposition": contentDisposition = try r.optionalString()
            case "contentLanguage": contentLanguage = try r.optionalString()
            case "cacheControl": cacheControl = try r.optionalString()
            case "expires": expires = try r.optionalString()
            case "userMetadata":
                try r.array { r throws(JSONReader.Failure) in
                    var meta = UserMetadata(name: "", value: "")
                    try r.object { r, field throws(JSONReader.Failure) in
                        switch field {
                        case "name": meta.name = try r.string()
                        case "value": meta.value = try r.string()
                        default: try r.skip()
                        }
                    }
                    userMetadata.append(meta)
                }
            case "storageClass": storageClass = try r.string()
            case "checksum":
                if r.null() { break }
                var checksum = Checksum(algorithm: "", value: "", type: "")
                try r.object { r, field throws(JSONReader.Failure) in
                    switch field {
                    case "algorithm": checksum.algorithm = try r.string()
                    case "value": checksum.value = try r.string()
                    case "type": checksum.type = try r.string()
                    default: try r.skip()
                    }
                }
                self.checksum = checksum
            case "locations":
                try r.array { r throws(JSONReader.Failure) in
                    var location = DataLocation(location: "", key: "", size: 0)
                    try r.object { r, field throws(JSONReader.Failure) in
                        switch field {
                        case "location": location.location = try r.string()
                        case "key": location.key = try r.string()
                        case "size": location.size = try r.int64()
                        case "start": location.start = try r.int64()
                        case "dataStoreVersionID": location.dataStoreVersionID = try r.optionalString()
                        case "dataStoreETag": location.dataStoreETag = try r.optionalString()
                        default: try r.skip()
                        }
                    }
                    locations.append(location)
                }
            case "partSizes":
                if r.null() { break }
                var sizes: [Int64] = []
                try r.array { r throws(JSONReader.Failure) in sizes.append(try r.int64()) }
                partSizes = sizes
            case "uploadID": uploadID = try r.optionalString()
            case "versionId", "versionID": versionID = try r.optionalString()
            case "isNull": isNull = try r.optionalBool()
            case "nullVersionId", "nullVersionID": nullVersionID = try r.optionalString()
            case "isDeleteMarker": isDeleteMarker = try r.optionalBool()
            default: try r.skip()
            }
        }
        // Format 1 differs from 2 only in the spelling of two fields, read above.
        if mdVersion == 1 { mdVersion = Self.formatVersion }
    }
}
