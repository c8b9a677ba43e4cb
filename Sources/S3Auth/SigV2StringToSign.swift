import HTTP

/// The SigV2 string to sign (RESTAuthentication):
///
/// ```
/// VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedAmzHeaders CanonicalizedResource
/// ```
enum SigV2StringToSign {
    /// Query parameters that are part of the resource being signed; the others are not.
    static let subresources: Set<String> = [
        "accelerate", "acl", "analytics", "cors", "delete", "encryption", "inventory", "legal-hold",
        "lifecycle", "location", "logging", "metrics", "notification", "object-lock", "partNumber",
        "policy", "publicAccessBlock", "replication", "requestPayment", "response-cache-control",
        "response-content-disposition", "response-content-encoding", "response-content-language",
        "response-content-type", "response-expires", "restore", "retention", "select", "select-type",
        "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions", "website",
    ]

    /// - Parameter date: the Date header, "" when x-amz-date is sent, or `Expires` for query auth.
    static func build(
        method: String, headers: HTTPHeaders, date: String, path: String, query: QueryParameters,
        virtualHostBucket: String?
    ) -> String {
        var text = method + "\n"
        text += (headers["content-md5"] ?? "") + "\n"
        text += (headers["content-type"] ?? "") + "\n"
        text += date + "\n"
        text += canonicalAmzHeaders(headers)
        text += canonicalResource(path: path, query: query, virtualHostBucket: virtualHostBucket)
        return text
    }

    /// `x-amz-*` headers, lower-cased and sorted, values of one name joined with `,`: `name:value\n`.
    static func canonicalAmzHeaders(_ headers: HTTPHeaders) -> String {
        var grouped: [String: [String]] = [:]
        for field in headers {
            let name = field.name.lowercased()
            guard name.hasPrefix("x-amz-") else { continue }
            grouped[name, default: []].append(field.value.trimmingSpaces)
        }
        var text = ""
        for name in grouped.keys.sorted() {
            text += name + ":" + grouped[name]!.joined(separator: ",") + "\n"
        }
        return text
    }

    /// `/bucket` (virtual-hosted style) + the path as sent + sorted sub-resources.
    static func canonicalResource(path: String, query: QueryParameters, virtualHostBucket: String?) -> String
    {
        var text = ""
        if let virtualHostBucket { text += "/" + virtualHostBucket }
        text += path.isEmpty ? "/" : path
        var subresources: [(String, String?)] = []
        for item in query.items {
            let name = URIEncoding.decode(item.rawName, plusAsSpace: true)
            guard subresources.count < 64, Self.subresources.contains(name) else { continue }
            // "the sub-resource, its value if it has one": `?versions=` (rclone, aws-sdk-go) is
            // signed as `versions`, like `?versions`.
            let value = item.rawValue.flatMap { $0.isEmpty ? nil : URIEncoding.decode($0, plusAsSpace: true) }
            subresources.append((name, value))
        }
        if subresources.isEmpty { return text }
        subresources.sort { $0.0 < $1.0 }
        text += "?"
        text += subresources.map { item in item.1.map { "\(item.0)=\($0)" } ?? item.0 }.joined(separator: "&")
        return text
    }
}
