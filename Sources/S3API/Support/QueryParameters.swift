import HTTP

#if canImport(Glibc)
    import Glibc
#endif

/// The decoded parameters of a request's query string, in order, with lookup by name.
///
/// `?acl` (no `=`) is a parameter with an empty value; `has("acl")` tells it apart from absence.
/// The SigV4 query-authentication parameters (`X-Amz-Algorithm`, `X-Amz-Signature`, ... every
/// raw name starting `X-Amz-`) are left out: S3Auth reads them from the raw query, and no
/// operation or sub-resource is named so.
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
            for pair in queryPairBounds(bytes) {
                let nameEnd = pair.eq < 0 ? pair.end : pair.eq
                if Self.isAuthentication(UnsafeBufferPointer(rebasing: bytes[pair.start..<nameEnd])) {
                    continue
                }
                let valueStart = pair.eq < 0 ? pair.end : pair.eq + 1
                guard
                    let n = PercentEncoding.decode(
                        UnsafeBufferPointer(rebasing: bytes[pair.start..<nameEnd]), plusAsSpace: true),
                    let v = PercentEncoding.decode(
                        UnsafeBufferPointer(rebasing: bytes[valueStart..<pair.end]), plusAsSpace: true)
                else { return nil }
                items.append((n, v))
            }
            return items
        }
        guard let parsed else { throw S3Error.invalidArgument.with(message: "Invalid query string encoding") }
        items = parsed
    }

    /// Whether a raw name starts with `X-Amz-` (a SigV4 query-authentication parameter).
    private static func isAuthentication(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        let prefix: StaticString = "X-Amz-"
        guard name.count > prefix.utf8CodeUnitCount else { return false }
        return memcmp(name.baseAddress!, prefix.utf8Start, prefix.utf8CodeUnitCount) == 0
    }

    package init(_ items: [(String, String)]) { self.items = items.map { ($0.0, $0.1) } }

    /// The first value of `name`, or nil when absent.
    package subscript(_ name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// True when `name` is present, with or without a value.
    package func has(_ name: String) -> Bool { items.contains { $0.name == name } }
}
