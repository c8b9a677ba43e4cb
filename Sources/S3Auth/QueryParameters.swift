/// The parameters of a raw query string, in the order sent, still percent-encoded.
///
/// Parsed once per request; lookups of the few authentication parameters compare the raw
/// names, which are plain ASCII in every client.
struct QueryParameters {
    /// One `name=value` pair; `value` is nil when the pair had no `=`.
    struct Item {
        var rawName: Substring
        var rawValue: Substring?
    }

    let items: [Item]

    init(_ rawQuery: String) {
        if rawQuery.isEmpty {
            items = []
            return
        }
        // Split on bytes: Character-wise splitting is slow and this runs on every request.
        items = rawQuery.utf8.split(separator: UInt8(ascii: "&")).map { pair in
            if let eq = pair.firstIndex(of: UInt8(ascii: "=")) {
                return Item(rawName: Substring(pair[..<eq]), rawValue: Substring(pair[pair.index(after: eq)...]))
            }
            return Item(rawName: Substring(pair), rawValue: nil)
        }
    }

    /// True if a parameter is named exactly `name`.
    func contains(_ name: String) -> Bool { items.contains { $0.rawName == name } }

    /// The decoded value of the first parameter named `name` ("" for a bare name).
    func value(_ name: String, plusAsSpace: Bool = true) -> String? {
        guard let item = items.first(where: { $0.rawName == name }) else { return nil }
        return URIEncoding.decode(item.rawValue ?? "", plusAsSpace: plusAsSpace)
    }
}
