/// Turns method + host + path + query into a bucket and an `S3Operation`. Pure: no I/O, and no
/// status decisions beyond "this request names nothing we know" (`S3Error` for unparsable URIs
/// and methods S3 does not allow on a resource).
package struct S3Router: Sendable {
    /// Host names under which virtual-hosted requests are recognised (restEndpoints and
    /// websiteEndpoints keys).
    package let endpoints: [String]

    /// The endpoints as lower-case bytes, longest first, for the per-request host match.
    private let endpointBytes: [[UInt8]]

    package init(endpoints: [String]) {
        // Longest first, so `s3.example.com` wins over `example.com`.
        self.endpoints = endpoints.map { $0.lowercased() }.sorted { $0.utf8.count > $1.utf8.count }
        self.endpointBytes = self.endpoints.map { Array($0.utf8) }
    }

    /// Bucket sub-resources S3 has and this server does not implement yet.
    static let unimplementedBucketSubresources: Set<String> = [
        "accelerate", "acl", "analytics", "cors", "encryption", "intelligent-tiering", "inventory",
        "lifecycle", "logging", "metrics", "notification", "object-lock", "ownershipControls", "policy",
        "metadataConfiguration", "metadataTable", "policyStatus", "publicAccessBlock", "replication",
        "requestPayment", "session", "tagging", "torrent", "website",
    ]

    /// Object sub-resources S3 has and this server does not implement yet.
    static let unimplementedObjectSubresources: Set<String> = [
        "acl", "attributes", "legal-hold", "renameObject", "restore", "retention", "select", "tagging", "torrent",
    ]

    /// The bucket named by a virtual-hosted `Host`, if any. Runs on every request: compares
    /// bytes (ASCII case-insensitively) instead of building lower-cased strings.
    package func virtualHostBucket(host: String?) -> String? {
        guard let host, !host.isEmpty else { return nil }
        var utf8 = Array(host.utf8)
        if utf8.first == UInt8(ascii: "[") { return nil }  // IPv6 literal
        if let colon = utf8.lastIndex(of: UInt8(ascii: ":")) { utf8.removeSubrange(colon...) }
        for endpoint in endpointBytes where utf8.count > endpoint.count + 1 {
            let dot = utf8.count - endpoint.count - 1
            guard utf8[dot] == UInt8(ascii: "."), Self.equalIgnoringASCIICase(utf8[(dot + 1)...], endpoint)
            else { continue }
            return String(decoding: utf8[..<dot], as: UTF8.self).lowercased()
        }
        return nil
    }

    /// Whether `bytes` equals the lower-case `lowercased`, ignoring ASCII case.
    private static func equalIgnoringASCIICase(_ bytes: ArraySlice<UInt8>, _ lowercased: [UInt8]) -> Bool {
        guard bytes.count == lowercased.count else { return false }
        for (byte, expected) in zip(bytes, lowercased) {
            let folded = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            if folded != expected { return false }
        }
        return true
    }

    /// Routes a request; `hasCopySource` tells whether `x-amz-copy-source` was sent (a PUT with
    /// it is CopyObject or UploadPartCopy).
    /// - Throws: `S3Error.invalidURI` for an undecodable path, `.methodNotAllowed` for a method S3
    ///   does not accept on the resource.
    package func route(
        method: String, host: String?, path: String, query: QueryParameters, hasCopySource: Bool = false
    )
        throws(S3Error) -> (bucket: String?, operation: S3Operation)
    {
        var bucket: String?
        var rawKey: Substring?
        guard path.hasPrefix("/") else { throw .invalidURI }
        let rest = path.dropFirst()
        if let hostBucket = virtualHostBucket(host: host) {
            bucket = hostBucket
            rawKey = rest.isEmpty ? nil : rest
        } else if !rest.isEmpty {
            if let slash = rest.firstIndex(of: "/") {
                let name = rest[..<slash]
                guard let decoded = PercentEncoding.decode(name, plusAsSpace: false) else {
                    throw .invalidURI
                }
                bucket = decoded
                let after = rest[rest.index(after: slash)...]
                rawKey = after.isEmpty ? nil : after
            } else {
                guard let decoded = PercentEncoding.decode(rest, plusAsSpace: false) else {
                    throw .invalidURI
                }
                bucket = decoded
            }
        }
        guard let bucket else {
            guard method == "GET" else { throw .methodNotAllowed }
            return (nil, .listBuckets)
        }
        guard let rawKey else { return (bucket, try bucketOperation(method: method, query: query)) }
        guard let key = PercentEncoding.decode(rawKey, plusAsSpace: false) else { throw .invalidURI }
        return (bucket, try objectOperation(method: method, key: key, query: query, copy: hasCopySource))
    }

    private func bucketOperation(method: String, query: QueryParameters) throws(S3Error) -> S3Operation {
        if let sub = query.items.first(where: { Self.unimplementedBucketSubresources.contains($0.name) }) {
            return .notImplemented(sub.name)
        }
        switch method {
        case "GET":
            if query.has("location") { return .getBucketLocation }
            if query.has("versioning") { return .getBucketVersioning }
            if query.has("versions") { return .listObjectVersions }
            if query.has("uploads") { return .listMultipartUploads }
            if let listType = query["list-type"] {
                guard listType == "2" else {
                    throw S3Error.invalidArgument.with(message: "Invalid List Type specified")
                        .with("ArgumentName", "list-type").with("ArgumentValue", listType)
                }
                return .listObjectsV2
            }
            return .listObjects
        case "PUT":
            if query.has("versioning") { return .putBucketVersioning }
            return .createBucket
        case "HEAD": return .headBucket
        case "DELETE": return .deleteBucket
        case "POST":
            if query.has("delete") { return .deleteObjects }
            throw .methodNotAllowed
        default: throw .methodNotAllowed
        }
    }

    private func objectOperation(method: String, key: String, query: QueryParameters, copy: Bool)
        throws(S3Error)
        -> S3Operation
    {
        if let sub = query.items.first(where: { Self.unimplementedObjectSubresources.contains($0.name) }) {
            return .notImplemented(sub.name)
        }
        let versionID = query["versionId"]
        switch method {
        case "GET":
            if let uploadID = query["uploadId"] { return .listParts(key: key, uploadID: uploadID) }
            return .getObject(key: key, versionID: versionID)
        case "HEAD": return .headObject(key: key, versionID: versionID)
        case "PUT":
            if let uploadID = query["uploadId"], query.has("partNumber") {
                return copy
                    ? .uploadPartCopy(key: key, uploadID: uploadID)
                    : .uploadPart(key: key, uploadID: uploadID)
            }
            return copy ? .copyObject(key: key) : .putObject(key: key)
        case "DELETE":
            if let uploadID = query["uploadId"] { return .abortMultipartUpload(key: key, uploadID: uploadID) }
            return .deleteObject(key: key, versionID: versionID)
        case "POST":
            if query.has("uploads") { return .createMultipartUpload(key: key) }
            if let uploadID = query["uploadId"] {
                return .completeMultipartUpload(key: key, uploadID: uploadID)
            }
            throw .methodNotAllowed
        default: throw .methodNotAllowed
        }
    }
}
