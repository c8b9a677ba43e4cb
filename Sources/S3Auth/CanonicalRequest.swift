import HTTP

/// The SigV4 canonical request (sigv4-create-canonical-request):
///
///     METHOD \n canonical URI \n canonical query \n canonical headers \n signed headers \n payload hash
enum CanonicalRequest {
    /// Builds the canonical request of `method` on the raw `path` and `query`, over the headers
    /// named in `signedHeaders` (`host;x-amz-date`, lower-case, as the client listed them).
    static func build(
        method: String, path: String, query: QueryParameters, excludingQuery: String? = nil,
        headers: HTTPHeaders, signedHeaders: Substring, payloadHash: String
    ) -> String {
        var text = method
        text += "\n"
        text += URIEncoding.canonicalPath(path)
        text += "\n"
        text += canonicalQuery(query, excluding: excludingQuery)
        text += "\n"
        for nameBytes in signedHeaders.utf8.split(separator: UInt8(ascii: ";")) {
            let name = Substring(nameBytes)
            text += name.lowercased()
            text += ":"
            text += canonicalHeaderValue(headers.values(String(name)))
            text += "\n"
        }
        text += "\n"
        text += signedHeaders
        text += "\n"
        text += payloadHash
        return text
    }

    /// Each parameter decoded and re-encoded by AWS's rule, sorted by name then value, joined
    /// with `&`; a parameter without `=` gets an empty value.
    static func canonicalQuery(_ query: QueryParameters, excluding: String? = nil) -> String {
        if query.items.isEmpty { return "" }
        var pairs: [([UInt8], [UInt8])] = []
        pairs.reserveCapacity(query.items.count)
        for item in query.items where excluding == nil || item.rawName != excluding! {
            var name: [UInt8] = []
            URIEncoding.encodeQueryComponent(URIEncoding.decode(item.rawName, plusAsSpace: true), into: &name)
            var value: [UInt8] = []
            URIEncoding.encodeQueryComponent(
                URIEncoding.decode(item.rawValue ?? "", plusAsSpace: true), into: &value)
            pairs.append((name, value))
        }
        pairs.sort { a, b in
            a.0 == b.0 ? a.1.lexicographicallyPrecedes(b.1) : a.0.lexicographicallyPrecedes(b.0)
        }
        var out: [UInt8] = []
        for (i, pair) in pairs.enumerated() {
            if i > 0 { out.append(UInt8(ascii: "&")) }
            out += pair.0
            out.append(UInt8(ascii: "="))
            out += pair.1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Values of one header joined with `,`, each trimmed with inner runs of spaces and tabs
    /// collapsed to one space.
    static func canonicalHeaderValue(_ values: [String]) -> String {
        var out: [UInt8] = []
        for (i, value) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            var pendingSpace = false
            var started = false
            for c in value.utf8 {
                if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") {
                    pendingSpace = started
                } else {
                    if pendingSpace { out.append(UInt8(ascii: " ")) }
                    pendingSpace = false
                    started = true
                    out.append(c)
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
