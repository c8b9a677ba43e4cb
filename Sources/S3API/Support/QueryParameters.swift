/// The decoded parameters of a request's query string, in order, with lookup by name.
///
/// `?acl` (no `=`) is a parameter with an empty value; `has("acl")` tells it apart from absence.
package struct QueryParameters: Sendable {
    package private(set) var items: [(name: String, value: String)] = []

    /// Parses a raw query string. Throws `S3Error.invalidArgument` for a malformed escape.
    package init(raw: String) throws(S3Error) {
        if raw.isEmpty { return }
        var raw = raw
        // Over the bytes: this runs on every request. `&` and `=` are ASCII, so every part is
        // valid UTF-8.
        let parsed: [(name: String, value: String)]? = raw.withUTF8 { bytes in
            var items: [(name: String, value: String)] = []
            var start = 0
            while start < bytes.count {
                var end = start
                var eq = -1
                while end < bytes.count && bytes[end] != UInt8(ascii: "&") {
                    if eq < 0 && bytes[end] == UInt8(ascii: "=") { eq = end }
                    end += 1
                }
                if end > start {
                    let nameEnd = eq < 0 ? end : eq
                    let valueStart = eq < 0 ? end : eq + 1
                    guard
                        let n = PercentEncoding.decode(
                            UnsafeBufferPointer(rebasing: bytes[start..<nameEnd]), plusAsSpace: true),
                        let v = PercentEncoding.decode(
                            UnsafeBufferPointer(rebasing: bytes[valueStart..<end]), plusAsSpace: true)
                    else { return nil }
                    items.append((n, v))
                }
                start = end + 1
            }
            return items
        }
        guard let parsed else { throw S3Error.invalidArgument.with(message: "Invalid query string encoding") }
        items = parsed
    }

    package init(_ items: [(String, String)]) { self.items = items.map { ($0.0, $0.1) } }

    /// The first value of `name`, or nil when absent.
    package subscript(_ name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// True when `name` is present, with or without a value.
    package func has(_ name: String) -> Bool { items.contains { $0.name == name } }
}
