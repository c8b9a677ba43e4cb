import HTTP

/// The content headers and user metadata of an object as blob properties and metadata.
///
/// Content headers become `x-ms-blob-*` properties (answered by Get Blob as the plain
/// headers); `Expires` has no blob property and is kept only in our metadata. User metadata
/// `x-amz-meta-name` becomes `x-ms-meta-name`: Azure metadata names must be C# identifiers, so
/// `-` is written `_`, and a name that is still no identifier, or a value that is not printable
/// ASCII, is left out (it stays in our metadata, which is what S3 clients read).
enum AzureBlobHeaders {
    private static let properties = [
        ("content-type", "x-ms-blob-content-type"), ("cache-control", "x-ms-blob-cache-control"),
        ("content-disposition", "x-ms-blob-content-disposition"),
        ("content-encoding", "x-ms-blob-content-encoding"),
        ("content-language", "x-ms-blob-content-language"),
    ]

    static func content(of object: ObjectIdentity) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, property) in properties {
            if let value = object.headers[name], isPrintableASCII(value) { headers.add(property, value) }
        }
        for field in object.headers where field.name.lowercased().hasPrefix("x-amz-meta-") {
            let name = String(field.name.lowercased().dropFirst("x-amz-meta-".count))
                .replacingHyphens()
            guard isIdentifier(name), isPrintableASCII(field.value) else { continue }
            headers.add("x-ms-meta-" + name, field.value)
        }
        return headers
    }

    /// A C# identifier of ASCII letters, digits and `_`, not starting with a digit.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy { c in
            (0x30...0x39).contains(c) || (0x61...0x7A).contains(c) || (0x41...0x5A).contains(c) || c == 0x5F
        }
    }

    private static func isPrintableASCII(_ value: String) -> Bool {
        value.utf8.allSatisfy { (0x20...0x7E).contains($0) }
    }
}

extension String {
    fileprivate func replacingHyphens() -> String { String(map { $0 == "-" ? "_" : $0 }) }
}
