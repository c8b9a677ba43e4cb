/// Reads the text of simple elements of the small XML documents an S3 endpoint answers with
/// (`<Error><Code>`, `<UploadId>`, `<ETag>`, `<Status>`): enough for the aws_s3 backend, which
/// never needs a tree; and escapes character data for the documents S3 requests and answers
/// carry.
package enum XMLText {
    /// The text of the first `<name>...</name>` in `document`, entities decoded; nil when absent.
    static func first(_ name: String, in document: [UInt8]) -> String? {
        let open = Array("<\(name)>".utf8)
        let close = Array("</\(name)>".utf8)
        guard let start = find(open, in: document, from: 0) else { return nil }
        let textStart = start + open.count
        guard let end = find(close, in: document, from: textStart) else { return nil }
        return decodeEntities(String(decoding: document[textStart..<end], as: UTF8.self))
    }

    /// Whether `document` holds a `<name>` element.
    static func contains(_ name: String, in document: [UInt8]) -> Bool {
        find(Array("<\(name)>".utf8), in: document, from: 0) != nil
    }

    /// Whether `document` is an S3 `<Error>` document (a 200 answer to CompleteMultipartUpload
    /// or UploadPartCopy may be one: the error came after the status line was sent).
    static func isError(_ document: [UInt8]) -> Bool {
        first("Code", in: document) != nil && contains("Error", in: document)
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

    /// Appends `value` as XML character data: markup characters and control characters as
    /// references.
    package static func escape(_ value: String, into text: inout String) {
        var needs = false
        for b in value.utf8 where b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 || b < 0x20 {
            needs = true
            break
        }
        if !needs {
            text += value
            return
        }
        for scalar in value.unicodeScalars {
            if let entity = entities.first(where: { $0.character == scalar }) {
                text += "&\(entity.name);"
            } else if scalar.value < 0x20 {
                text += "&#x\(String(scalar.value, radix: 16, uppercase: true));"
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
    }

    /// The five predefined entities of XML.
    private static let entities: [(character: Unicode.Scalar, name: Substring)] = [
        ("&", "amp"), ("<", "lt"), (">", "gt"), ("\"", "quot"), ("'", "apos"),
    ]

    /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` and numeric references.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semi]
            if let named = entities.first(where: { $0.name == entity }) {
                out.unicodeScalars.append(named.character)
            } else {
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
