import HTTP

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
        // Offsets found over the bytes (this runs on every request), then one substring per
        // part: `&` and `=` are ASCII, so their offsets are valid string indices.
        var raw = rawQuery
        let bounds = raw.withUTF8 { queryPairBounds($0) }
        let utf8 = rawQuery.utf8
        let base = utf8.startIndex
        items = bounds.map { b in
            let start = utf8.index(base, offsetBy: b.start)
            let end = utf8.index(base, offsetBy: b.end)
            guard b.eq >= 0 else { return Item(rawName: rawQuery[start..<end], rawValue: nil) }
            let eq = utf8.index(base, offsetBy: b.eq)
            return Item(rawName: rawQuery[start..<eq], rawValue: rawQuery[utf8.index(after: eq)..<end])
        }
    }

    /// True if a parameter is named exactly `name`.
    func contains(_ name: String) -> Bool { items.contains { Self.named($0, name) } }

    /// The decoded value of the first parameter named `name` ("" for a bare name).
    func value(_ name: String, plusAsSpace: Bool = true) -> String? {
        guard let item = items.first(where: { Self.named($0, name) }) else { return nil }
        return URIEncoding.decode(item.rawValue ?? "", plusAsSpace: plusAsSpace)
    }

    /// Whether `item` is named `name`; lengths first, so that most names (of other lengths) are
    /// told apart without a string comparison: this runs several times per request.
    private static func named(_ item: Item, _ name: String) -> Bool {
        item.rawName.utf8.count == name.utf8.count && item.rawName == name
    }
}
