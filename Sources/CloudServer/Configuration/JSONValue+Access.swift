/// Reading typed values out of configuration JSON (e.g. `LocationSpec.details`).
extension JSONValue {
    /// The member `key` of an object, nil when absent or when `self` is not an object.
    package subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The text of a string, else nil.
    package var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value of a boolean, else nil.
    package var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// The value of a number, else nil.
    package var numberValue: Double? {
        if case .number(let number) = self { return number }
        return nil
    }

    /// The members of an object, else nil.
    package var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements of an array, else nil.
    package var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// A short rendering of the value for `(got ...)` in error messages: strings quoted (and
    /// clipped), numbers and literals as written, containers by kind.
    var shortDescription: String {
        switch self {
        case .string(let text):
            let clipped = text.count > 60 ? String(text.prefix(57)) + "..." : text
            return JSONRendering.quoted(clipped)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// Typed access to the members of one JSON object of a configuration file; every failure is a
/// `ConfigError` naming the file and the dotted key path.
struct ConfigObject {
    let file: String
    /// Dotted path of this object inside the file, empty at the top level.
    let path: String
    let members: [String: JSONValue]

    /// Wraps `value`, which must be an object.
    init(_ value: JSONValue, file: String, path: String) throws(ConfigError) {
        guard case .object(let members) = value else {
            throw ConfigError(
                file: file, key: path.isEmpty ? nil : path,
                problem: "must be an object (got \(value.shortDescription))")
        }
        self.file = file
        self.path = path
        self.members = members
    }

    /// The full key path of member `key`.
    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// An error about member `key`.
    func error(_ key: String, _ problem: String) -> ConfigError {
        ConfigError(file: file, key: keyPath(key), problem: problem)
    }

    /// Member `key`, or a "missing" error.
    func required(_ key: String) throws(ConfigError) -> JSONValue {
        guard let value = members[key] else { throw error(key, "is missing") }
        return value
    }

    func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = members[key] else { return nil }
        guard case .string(let text) = value else {
            throw error(key, "must be a string (got \(value.shortDescription))")
        }
        return text
    }

    func requiredString(_ key: String, nonEmpty: Bool = true) throws(ConfigError) -> String {
        guard let text = try string(key) else { throw error(key, "is missing") }
        if nonEmpty && text.isEmpty { throw error(key, "must not be empty") }
        return text
    }

    func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = members[key] else { return nil }
        guard case .bool(let flag) = value else {
            throw error(key, "must be true or false (got \(value.shortDescription))")
        }
        return flag
    }

    func requiredBool(_ key: String) throws(ConfigError) -> Bool {
        guard let flag = try bool(key) else { throw error(key, "is missing") }
        return flag
    }

    /// An integer member within `range`.
    func integer(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = members[key] else { return nil }
        let problem = "must be an integer between \(range.lowerBound) and \(range.upperBound)"
        guard case .number(let number) = value, number.rounded() == number,
            number >= Double(range.lowerBound), number <= Double(range.upperBound)
        else { throw error(key, "\(problem) (got \(value.shortDescription))") }
        return Int(number)
    }

    func object(_ key: String) throws(ConfigError) -> ConfigObject? {
        guard let value = members[key] else { return nil }
        return try ConfigObject(value, file: file, path: keyPath(key))
    }

    /// An array of strings.
    func strings(_ key: String) throws(ConfigError) -> [String]? {
        guard let value = members[key] else { return nil }
        guard case .array(let elements) = value else {
            throw error(key, "must be an array of strings (got \(value.shortDescription))")
        }
        var result: [String] = []
        for (position, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                throw ConfigError(
                    file: file, key: "\(keyPath(key))[\(position)]",
                    problem: "must be a string (got \(element.shortDescription))")
            }
            result.append(text)
        }
        return result
    }
}
