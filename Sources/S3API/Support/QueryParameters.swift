/// The decoded parameters of a request's query string, in order, with lookup by name.
///
/// `?acl` (no `=`) is a parameter with an empty value; `has("acl")` tells it apart from absence.
package struct QueryParameters: Sendable {
    package private(set) var items: [(name: String, value: String)] = []

    /// Parses a raw query string. Throws `S3Error.invalidArgument` for a malformed escape.
    package init(raw: String) throws(S3Error) {
        if raw.isEmpty { return }
        // Split on bytes: this runs on every request, and Character-wise splitting is slow.
        for part in raw.utf8.split(separator: UInt8(ascii: "&")) {
            let eq = part.firstIndex(of: UInt8(ascii: "="))
            let name = Substring(eq.map { part[..<$0] } ?? part)
            let value = eq.map { Substring(part[part.index(after: $0)...]) } ?? ""
            guard let n = PercentEncoding.decode(name, plusAsSpace: true),
                let v = PercentEncoding.decode(value, plusAsSpace: true)
            else {
                throw S3Error.invalidArgument.with(message: "Invalid query string encoding")
            }
            items.append((n, v))
        }
    }

    package init(_ items: [(String, String)]) { self.items = items.map { ($0.0, $0.1) } }

    /// The first value of `name`, or nil when absent.
    package subscript(_ name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// True when `name` is present, with or without a value.
    package func has(_ name: String) -> Bool { items.contains { $0.name == name } }
}
