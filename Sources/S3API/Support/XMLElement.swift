/// A parsed XML element of a request body (CreateBucketConfiguration, Delete,
/// CompleteMultipartUpload, VersioningConfiguration...). Namespaces are ignored: names are
/// local names.
package struct XMLElement: Sendable, Equatable {
    package var name: String
    package var children: [XMLElement] = []
    /// The concatenated character data directly inside this element.
    package var text: String = ""

    package init(name: String) { self.name = name }

    /// The first child named `name`.
    package func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

    /// Every child named `name`.
    package func children(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }

    /// Parses a whole document; throws `S3Error.malformedXML` for anything not well-formed,
    /// deeper than `maxDepth`, or with more than `maxElements` elements.
    package static func parse(_ bytes: [UInt8], maxDepth: Int = 16, maxElements: Int = 200_000)
        throws(S3Error) -> XMLElement
    {
        var parser = XMLMiniParser(bytes: bytes, maxDepth: maxDepth, maxElements: maxElements)
        guard let root = parser.parseDocument() else { throw .malformedXML }
        return root
    }
}

/// A small non-validating XML parser: elements, attributes (skipped), text, the five
/// predefined entities and numeric references, CDATA, comments, processing instructions and a
/// DOCTYPE-free prolog. Enough for S3 request bodies; rejects anything else.
struct XMLMiniParser {
    let bytes: [UInt8]
    let maxDepth: Int
    let maxElements: Int
    var i = 0
    var elements = 0

    init(bytes: [UInt8], maxDepth: Int, maxElements: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.maxElements = maxElements
    }

    mutating func parseDocument() -> XMLElement? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        guard skipMisc() else { return nil }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "<") else { return nil }
        guard let root = parseElement(depth: 1) else { return nil }
        guard skipMisc(), i == bytes.count else { return nil }
        return root
    }

    /// Skips white space, comments and processing instructions between top-level items.
    mutating func skipMisc() -> Bool {
        while true {
            skipSpace()
            if starts("<?") {
                guard let end = find("?>", from: i + 2) else { return false }
                i = end + 2
            } else if starts("<!--") {
                guard let end = find("-->", from: i + 4) else { return false }
                i = end + 3
            } else {
                return true
            }
        }
    }

    mutating func parseElement(depth: Int) -> XMLElement? {
        guard depth <= maxDepth else { return nil }
        elements += 1
        guard elements <= maxElements else { return nil }
        i += 1  // "<"
        guard let qname = parseName() else { return nil }
        var element = XMLElement(name: localName(qname))
        // Attributes: name="value" or name='value', skipped.
        while true {
            skipSpace()
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: "/") {
                guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: ">") else { return nil }
                i += 2
                return element
            }
            if bytes[i] == UInt8(ascii: ">") {
                i += 1
                break
            }
            guard parseName() != nil else { return nil }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else { return nil }
            i += 1
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else {
                return nil
            }
            let quote = bytes[i]
            guard let end = bytes[(i + 1)...].firstIndex(of: quote) else { return nil }
            i = end + 1
        }
        // Content.
        var text: [UInt8] = []
        while true {
            guard i < bytes.count else { return nil }
            if bytes[i] != UInt8(ascii: "<") {
                if bytes[i] == UInt8(ascii: "&") {
                    guard decodeReference(into: &text) else { return nil }
                } else {
                    text.append(bytes[i])
                    i += 1
                }
                continue
            }
            if starts("</") {
                i += 2
                guard let closing = parseName(), closing == qname else { return nil }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ">") else { return nil }
                i += 1
                guard let decoded = String(validating: text, as: UTF8.self) else { return nil }
                element.text = decoded
                return element
            }
            if starts("<!--") {
                guard let end = find("-->", from: i + 4) else { return nil }
                i = end + 3
            } else if starts("<![CDATA[") {
                guard let end = find("]]>", from: i + 9) else { return nil }
                text.append(contentsOf: bytes[(i + 9)..<end])
                i = end + 3
            } else if starts("<?") {
                guard let end = find("?>", from: i + 2) else { return nil }
                i = end + 2
            } else if starts("<!") {
                return nil
            } else {
                guard let child = parseElement(depth: depth + 1) else { return nil }
                element.children.append(child)
            }
        }
    }

    mutating func decodeReference(into text: inout [UInt8]) -> Bool {
        guard let semi = bytes[i...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else { return false }
        let name = String(decoding: bytes[(i + 1)..<semi], as: UTF8.self)
        i = semi + 1
        switch name {
        case "amp": text.append(UInt8(ascii: "&"))
        case "lt": text.append(UInt8(ascii: "<"))
        case "gt": text.append(UInt8(ascii: ">"))
        case "quot": text.append(UInt8(ascii: "\""))
        case "apos": text.append(UInt8(ascii: "'"))
        default:
            var value: UInt32?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                value = UInt32(name.dropFirst(2), radix: 16)
            } else if name.hasPrefix("#") {
                value = UInt32(name.dropFirst(1))
            }
            guard let value, let scalar = Unicode.Scalar(value), value != 0 else { return false }
            text.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        return true
    }

    mutating func parseName() -> [UInt8]? {
        let start = i
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n")
                || b == UInt8(ascii: "\r") || b == UInt8(ascii: ">") || b == UInt8(ascii: "/")
                || b == UInt8(ascii: "=") || b == UInt8(ascii: "<") || b == UInt8(ascii: "&")
                || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")
            {
                break
            }
            i += 1
        }
        return i > start ? Array(bytes[start..<i]) : nil
    }

    func localName(_ qname: [UInt8]) -> String {
        if let colon = qname.lastIndex(of: UInt8(ascii: ":")) {
            return String(decoding: qname[(colon + 1)...], as: UTF8.self)
        }
        return String(decoding: qname, as: UTF8.self)
    }

    mutating func skipSpace() {
        while i < bytes.count,
            bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D
        {
            i += 1
        }
    }

    func starts(_ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard i + n <= bytes.count else { return false }
        return s.withUTF8Buffer { p in
            for k in 0..<n where bytes[i + k] != p[k] { return false }
            return true
        }
    }

    func find(_ s: StaticString, from: Int) -> Int? {
        let n = s.utf8CodeUnitCount
        return s.withUTF8Buffer { p -> Int? in
            var j = from
            while j + n <= bytes.count {
                var match = true
                for k in 0..<n where bytes[j + k] != p[k] {
                    match = false
                    break
                }
                if match { return j }
                j += 1
            }
            return nil
        }
    }
}
