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
        // Built as bytes: a dozen String appends cost more than the rest of the request.
        var text: [UInt8] = []
        text.reserveCapacity(1024)
        text += method.utf8
        text.append(newline)
        text += URIEncoding.canonicalPath(path).utf8
        text.append(newline)
        text += canonicalQuery(query, excluding: excludingQuery).utf8
        text.append(newline)
        var names = signedHeaders
        names.withUTF8 { bytes in
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != UInt8(ascii: ";") { end += 1 }
                if end > start {
                    let name = UnsafeBufferPointer(rebasing: bytes[start..<end])
                    appendLowercased(name, to: &text)
                    text.append(UInt8(ascii: ":"))
                    appendHeaderValues(headers, named: String(decoding: name, as: UTF8.self), to: &text)
                    text.append(newline)
                }
                start = end + 1
            }
        }
        text.append(newline)
        text += signedHeaders.utf8
        text.append(newline)
        text += payloadHash.utf8
        return String(decoding: text, as: UTF8.self)
    }

    private static let newline = UInt8(ascii: "\n")

    /// A signed header name in lower case (`Substring.lowercased()` for a name that is not ASCII).
    private static func appendLowercased(_ name: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        guard name.allSatisfy({ $0 < 0x80 }) else {
            out += String(decoding: name, as: UTF8.self).lowercased().utf8
            return
        }
        for c in name { out.append(c >= 0x41 && c <= 0x5A ? c + 32 : c) }
    }

    /// `canonicalHeaderValue(headers.values(name))`, appended without the intermediate strings.
    private static func appendHeaderValues(
        _ headers: HTTPHeaders, named name: String, to out: inout [UInt8]
    ) {
        var first = true
        for field in headers where asciiCaseInsensitiveEquals(field.name, name) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            appendTrimmed(field.value, to: &out)
        }
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
                if an.elementsEqual(bn) { return bytes[a.value].lexicographicallyPrecedes(bytes[b.value]) }
                return an.lexicographicallyPrecedes(bn)
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
            appendTrimmed(value, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One value trimmed, inner runs of spaces and tabs collapsed to one space.
    private static func appendTrimmed(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { bytes in
            var pendingSpace = false
            var started = false
            for c in bytes {
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
    }
}
