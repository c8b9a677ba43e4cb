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
        // Every name and value encoded into one buffer; the pairs sort as ranges of it.
        var encoded: [UInt8] = []
        let rawLength = query.items.reduce(0) { $0 + $1.rawName.utf8.count + ($1.rawValue?.utf8.count ?? 0) }
        encoded.reserveCapacity(rawLength + 32)
        var pairs: [(name: Range<Int>, value: Range<Int>)] = []
        pairs.reserveCapacity(query.items.count)
        for item in query.items where excluding == nil || item.rawName != excluding! {
            let nameStart = encoded.count
            URIEncoding.appendCanonicalQueryComponent(item.rawName, to: &encoded)
            let valueStart = encoded.count
            URIEncoding.appendCanonicalQueryComponent(item.rawValue ?? "", to: &encoded)
            pairs.append((nameStart..<valueStart, valueStart..<encoded.count))
        }
        return encoded.withUnsafeBufferPointer { bytes in
            pairs.sort { a, b in
                let (an, bn) = (bytes[a.name], bytes[b.name])
                return an.elementsEqual(bn)
                    ? bytes[a.value].lexicographicallyPrecedes(bytes[b.value]) : an.lexicographicallyPrecedes(bn)
            }
            let length = encoded.count + 2 * pairs.count
            return String(unsafeUninitializedCapacity: length) { out in
                var n = 0
                for (i, pair) in pairs.enumerated() {
                    if i > 0 {
                        out[n] = UInt8(ascii: "&")
                        n += 1
                    }
                    for b in bytes[pair.name] {
                        out[n] = b
                        n += 1
                    }
                    out[n] = UInt8(ascii: "=")
                    n += 1
                    for b in bytes[pair.value] {
                        out[n] = b
                        n += 1
                    }
                }
                return n
            }
        }
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
