import HTTP

extension RequestContext {
    /// PutObject: streams the body to the bucket's data location while hashing it (MD5 for the
    /// ETag, the optional `x-amz-checksum-*`), then commits the object's metadata in one batch.
    /// Conditional writes: `If-None-Match: *` fails with 412 when the key exists, `If-Match`
    /// when its ETag differs.
    func putObject(key: String) throws(S3Error) -> HTTPResponse {
        try Self.validate(key: key)
        try Self.refuseVersionID(query)
        let bucket = try ownedBucket()
        try UnsupportedFeatures.refuseObjectWrite(headers)
        var md = ObjectMD(
            key: key, size: 0, eTag: "", lastModified: 0, ownerID: account.canonicalID,
            ownerDisplayName: account.name)
        try ObjectHeaders.apply(headers, to: &md)
        let checksum = try ChecksumRequest.parse(headers)
        let size = auth.decodedContentLength
        if size == nil && request.contentLength == nil && headers["transfer-encoding"] == nil {
            throw S3Error.missingContentLength
        }
        if let size, size > service.configuration.maxObjectSize {
            throw S3Error.entityTooLarge.with("ProposedSize", "\(size)")
                .with("MaxSizeAllowed", "\(service.configuration.maxObjectSize)")
        }
        let conditions = WriteConditions(headers)
        if conditions.isConditional {
            // Checked early so that a failing condition stores no data; checked again at commit.
            try conditions.check(try ObjectCatalog.loadMaster(store, bucket: bucket, key: key))
        }

        let source = HashingSource(
            auth.body, checksum: checksum?.algorithm.makeHasher(), limit: service.configuration.maxObjectSize,
            verify: checksumVerifier(checksum))
        let target = try placement(for: bucket, object: md)
        if size == 0 && !isExternal(target) {
            // An empty object needs no data file; the body is still read so that its
            // signature and checksums are verified.
            try drain(source)
        } else {
            md.locations = [
                try storeData(source, size: size, location: target, object: md.identity(bucket: bucket.name))
            ]
        }
        md.size = source.count
        md.eTag = source.md5Hex()
        if let checksum, let value = source.checksumBase64() {
            md.checksum = Checksum(algorithm: checksum.algorithm.rawValue, value: value, type: "FULL_OBJECT")
        }
        let plan = try commitObject(md, bucket: bucket) { current throws(S3Error) in
            try conditions.check(current)
        }

        var responseHeaders = HTTPHeaders()
        responseHeaders.add("ETag", "\"\(md.eTag)\"")
        addVersionHeaders(plan, to: &responseHeaders)
        if let checksum = md.checksum {
            responseHeaders.add("x-amz-checksum-" + checksum.algorithm.lowercased(), checksum.value)
        }
        return .empty(headers: responseHeaders)
    }

    /// S3's key rules: 1 to 1024 bytes of UTF-8. The NUL character, which XML cannot carry and
    /// which separates a key from its version IDs in metadata, is refused.
    /// - Throws: `S3Error.keyTooLongError`, `.invalidArgument`.
    static func validate(key: String) throws(S3Error) {
        if key.utf8.count > 1024 {
            throw S3Error.keyTooLongError.with("Size", "\(key.utf8.count)").with("MaxSizeAllowed", "1024")
        }
        if key.utf8.contains(0) {
            throw S3Error.invalidArgument.with(message: "Object key names may not contain the NUL character.")
        }
    }
}

/// `If-Match` / `If-None-Match` on a write: checked before the body is read and again at commit.
struct WriteConditions {
    var ifMatch: String?
    var ifNoneMatch: String?

    init(_ headers: HTTPHeaders) {
        ifMatch = headers["if-match"]
        ifNoneMatch = headers["if-none-match"]
    }

    /// False when neither header was sent: `check` passes whatever the current object.
    var isConditional: Bool { ifMatch != nil || ifNoneMatch != nil }

    /// - Throws: `S3Error.preconditionFailed`, `.noSuchKey` for `If-Match` on a missing key,
    ///   `.notImplemented` for an `If-None-Match` other than `*` (S3 supports only `*` on writes).
    func check(_ current: ObjectMD?) throws(S3Error) {
        if let ifNoneMatch {
            guard ifNoneMatch.trimmingSpaces == "*" else {
                throw S3Error.notImplemented.with("Header", "If-None-Match")
            }
            if let current, Conditions.matches(ifNoneMatch, current.eTag) {
                throw S3Error.preconditionFailed.with("Condition", "If-None-Match")
            }
        }
        if let ifMatch {
            guard let current else { throw S3Error.noSuchKey }
            if !Conditions.matches(ifMatch, current.eTag) {
                throw S3Error.preconditionFailed.with("Condition", "If-Match")
            }
        }
    }
}

extension RequestContext {
    /// Writes never target an existing version (docs 7.1.4, "Specifying Versions in APIs for
    /// Putting Versions").
    /// - Throws: `S3Error.invalidArgument` when the query names a version.
    static func refuseVersionID(_ query: QueryParameters) throws(S3Error) {
        if let versionID = query["versionId"] {
            throw S3Error.invalidArgument.with(message: "This operation does not accept a version-id.")
                .with("ArgumentName", "versionId").with("ArgumentValue", versionID)
        }
    }
}
