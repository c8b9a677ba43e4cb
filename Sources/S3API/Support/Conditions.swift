import HTTP

/// Conditional request headers (RFC 7232 as S3 applies them) against an object's ETag and
/// Last-Modified.
struct Conditions {
    var ifMatch: String?
    var ifNoneMatch: String?
    var ifModifiedSince: Int64?
    var ifUnmodifiedSince: Int64?

    /// The GET/HEAD/PUT conditions (`If-Match`...), or the CopyObject source conditions
    /// (`x-amz-copy-source-if-match`...) when `prefix` is given.
    init(_ headers: HTTPHeaders, prefix: String = "") {
        ifMatch = headers[prefix + "if-match"]
        ifNoneMatch = headers[prefix + "if-none-match"]
        ifModifiedSince = headers[prefix + "if-modified-since"].flatMap(HTTPDate.parse)
        ifUnmodifiedSince = headers[prefix + "if-unmodified-since"].flatMap(HTTPDate.parse)
    }

    /// What the conditions say of a read.
    enum Outcome: Equatable {
        case proceed
        case notModified
        case preconditionFailed
    }

    /// S3's precedence: If-Match decides alone over If-Unmodified-Since, If-None-Match over
    /// If-Modified-Since; a failed If-Match / If-Unmodified-Since is 412, a failed
    /// If-None-Match / If-Modified-Since is 304.
    func evaluate(eTag: String, lastModified: Int64) -> Outcome {
        let seconds = lastModified / 1000 * 1000
        if let ifMatch {
            if !Self.matches(ifMatch, eTag) { return .preconditionFailed }
        } else if let ifUnmodifiedSince, seconds > ifUnmodifiedSince {
            return .preconditionFailed
        }
        if let ifNoneMatch {
            if Self.matches(ifNoneMatch, eTag) { return .notModified }
        } else if let ifModifiedSince, seconds <= ifModifiedSince {
            return .notModified
        }
        return .proceed
    }

    /// Whether a header's list of entity tags (or `*`) names `eTag`.
    static func matches(_ header: String, _ eTag: String) -> Bool {
        for item in header.split(separator: ",") {
            var tag = item.trimmingCharacters()
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            if tag.hasPrefix("\"") && tag.hasSuffix("\"") && tag.count >= 2 {
                tag = String(tag.dropFirst().dropLast())
            }
            if tag == eTag { return true }
        }
        return false
    }
}
