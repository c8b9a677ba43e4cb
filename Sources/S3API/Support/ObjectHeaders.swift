import HTTP

/// The headers a write stores with an object and a read returns.
enum ObjectHeaders {
    /// S3's cap on user metadata: names and values of `x-amz-meta-*` together.
    static let maxUserMetadataBytes = 2 * 1024

    /// The storage classes a write may ask for: this server keeps every object alike, so only
    /// STANDARD (an archive class would promise restore semantics it does not have).
    static let storageClasses: Set<String> = ["STANDARD"]

    /// Copies content headers, user metadata and storage class of a write request into `md`.
    /// - Throws: `S3Error.metadataTooLarge`, `.invalidStorageClass`.
    static func apply(_ headers: HTTPHeaders, to md: inout ObjectMD) throws(S3Error) {
        md.contentType = headers["content-type"] ?? "binary/octet-stream"
        md.contentEncoding = contentEncoding(headers["content-encoding"])
        md.contentDisposition = headers["content-disposition"]
        md.contentLanguage = headers["content-language"]
        md.cacheControl = headers["cache-control"]
        md.expires = headers["expires"]
        md.userMetadata = try userMetadata(headers)
        if let storageClass = headers[S3Header.storageClass] {
            guard storageClasses.contains(storageClass) else { throw .invalidStorageClass }
            md.storageClass = storageClass
        } else {
            md.storageClass = "STANDARD"
        }
    }

    /// The `x-amz-meta-*` headers, names lower-cased without the prefix.
    /// - Throws: `S3Error.metadataTooLarge` past 2 KB.
    static func userMetadata(_ headers: HTTPHeaders) throws(S3Error) -> [UserMetadata] {
        var result: [UserMetadata] = []
        var total = 0
        for field in headers {
            let lower = field.name.lowercased()
            guard lower.hasPrefix(S3Header.metaPrefix) else { continue }
            let name = String(lower.dropFirst(S3Header.metaPrefix.count))
            total += name.utf8.count + field.value.utf8.count
            if let i = result.firstIndex(where: { $0.name == name }) {
                result[i].value += "," + field.value
            } else {
                result.append(UserMetadata(name: name, value: field.value))
            }
        }
        if total > maxUserMetadataBytes {
            throw S3Error.metadataTooLarge.with("Size", "\(total)").with(
                "MaxSizeAllowed", "\(maxUserMetadataBytes)")
        }
        return result
    }

    /// aws-chunked is a transfer detail of the request, not a content coding to store.
    private static func contentEncoding(_ value: String?) -> String? {
        guard let value else { return nil }
        let kept = value.split(separator: ",").map { $0.trimmingCharacters() }.filter {
            $0 != "aws-chunked" && !$0.isEmpty
        }
        return kept.isEmpty ? nil : kept.joined(separator: ",")
    }

    /// The headers of a GET/HEAD answer for `md`, with `response-*` query overrides applied.
    static func render(_ md: ObjectMD, query: QueryParameters, into headers: inout HTTPHeaders) {
        // One pass tells whether any override was sent (most requests send none, and each
        // lookup below scans the whole query).
        let overrides = query.items.contains { $0.name.hasPrefix("response-") }
        func override(_ name: String) -> String? { overrides ? query[name] : nil }
        headers.add("ETag", "\"\(md.eTag)\"")
        headers.add("Last-Modified", HTTPDate.rfc1123(milliseconds: md.lastModified))
        headers.add("Accept-Ranges", "bytes")
        headers.add(
            "Content-Type", override("response-content-type") ?? md.contentType ?? "binary/octet-stream")
        // Called one by one, not looped over an array: this runs on every GET and HEAD.
        func optional(_ name: String, _ stored: String?, _ parameter: String) {
            if let value = override(parameter) ?? stored { headers.add(name, value) }
        }
        optional("Content-Encoding", md.contentEncoding, "response-content-encoding")
        optional("Content-Disposition", md.contentDisposition, "response-content-disposition")
        optional("Content-Language", md.contentLanguage, "response-content-language")
        optional("Cache-Control", md.cacheControl, "response-cache-control")
        optional("Expires", md.expires, "response-expires")
        for meta in md.userMetadata { headers.add(S3Header.metaPrefix + meta.name, meta.value) }
        if md.storageClass != "STANDARD" { headers.add(S3Header.storageClass, md.storageClass) }
    }
}

extension Substring {
    /// The text without surrounding spaces and tabs.
    func trimmingCharacters() -> String { String(self).trimmingSpaces }
}
