/// Reads the text of simple elements of the small XML documents an S3 endpoint answers with
/// (`<Error><Code>`, `<UploadId>`, `<ETag>`, `<Status>`): enough for the aws_s3 backend, which
/// never needs a tree.
enum XMLText {
    /// The text of the first `<name>...</name>` in `document`, entities decoded; nil when absent.
    static func first(_ name: String, in document: [UInt8]) -> String? {
        let open = Array("<\(name)>".utf8)
        let close = Array("</\(name)>".utf8)
        guard let start = find(open, in: document, from: 0) else { return nil }
        let textStart = start + open.count
        guard let end = find(close, in: document, from: textStart) else { return nil }
        return decodeEntities(String(decoding: document[textStart..<end], as: UTF8.self))
    }

    /// Whether `document` is an S3 `<Error>` document (a 200 answer to CompleteMultipartUpload
    /// or UploadPartCopy may be one: the error came after the status line was sent).
    static func isError(_ document: [UInt8]) -> Bool {
        first("Code", in: document) != nil && find(Array("<Error>".utf8), in: document, from: 0) != nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = from
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` and numeric references.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let number =
                    entity.hasPrefix("#x")
                    ? UInt32(entity.dropFirst(2), radix: 16)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst(), radix: 10) : nil
                if let number, let scalar = Unicode.Scalar(number) {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += rest[amp...semi]
                }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}
