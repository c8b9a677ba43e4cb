/// An ordered list of header fields with case-insensitive lookup by name.
///
/// Names keep the case they were sent with (SigV2/SigV4 canonicalisation lower-cases them
/// itself); lookups compare ASCII case-insensitively.
package struct HTTPHeaders: Sendable, Sequence {
    /// One header field as received or to be sent.
    package struct Field: Sendable, Equatable {
        package var name: String
        package var value: String
        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    package private(set) var fields: [Field] = []

    package init() {}

    package init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// The first value of `name`, or nil.
    package subscript(_ name: String) -> String? {
        for field in fields where field.name.utf8.count == name.utf8.count {
            if asciiCaseInsensitiveEquals(field.name, name) { return field.value }
        }
        return nil
    }

    /// Every value of `name`, in order.
    package func values(_ name: String) -> [String] {
        var found: [String] = []
        for field in fields where asciiCaseInsensitiveEquals(field.name, name) { found.append(field.value) }
        return found
    }

    /// Appends a field (keeps existing ones of the same name).
    package mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field named `name` by one with `value`.
    package mutating func set(_ name: String, _ value: String) {
        remove(name)
        fields.append(Field(name: name, value: value))
    }

    /// Removes every field named `name`.
    package mutating func remove(_ name: String) {
        fields.removeAll { asciiCaseInsensitiveEquals($0.name, name) }
    }

    package var count: Int { fields.count }

    package func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }
}

/// Compares two strings ASCII case-insensitively (header names are ASCII tokens), over their
/// contiguous UTF-8: lengths first, then bytes.
package func asciiCaseInsensitiveEquals(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    var a = a
    var b = b
    return a.withUTF8 { x in
        b.withUTF8 { y in
            for i in 0..<x.count where x[i] != y[i] {
                let lx = (x[i] >= 65 && x[i] <= 90) ? x[i] + 32 : x[i]
                let ly = (y[i] >= 65 && y[i] <= 90) ? y[i] + 32 : y[i]
                if lx != ly { return false }
            }
            return true
        }
    }
}
