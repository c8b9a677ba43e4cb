/// A pull reader over the JSON of stored records: walks objects key by key and reads values
/// straight into fields, without building a tree or going through `Decoder`. Records are read
/// on every request (the master of a GET, a page of a listing), where `JSONDecoder` costs more
/// than the rest of the request.
struct JSONReader {
    /// Malformed or unexpected JSON.
    struct Failure: Error {}

    private let bytes: [UInt8]
    private var i = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Calls `field` for every key of the object at the cursor; `field` must read or skip its value.
    mutating func object(_ field: (inout JSONReader, String) throws(Failure) -> Void) throws(Failure) {
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            i += 1
            return
        }
        while true {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try field(&self, key)
            skipSpace()
            guard i < bytes.count else { throw Failure() }
            let b = bytes[i]
            i += 1
            if b == UInt8(ascii: "}") { return }
            guard b == UInt8(ascii: ",") else { throw Failure() }
        }
    }

    /// Calls `element` for every element of the array at the cursor.
    mutating func array(_ element: (inout JSONReader) throws(Failure) -> Void) throws(Failure) {
        try expect(UInt8(ascii: "["))
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            i += 1
            return
        }
        while true {
            try element(&self)
            skipSpace()
            guard i < bytes.count else { throw Failure() }
            let b = bytes[i]
            i += 1
            if b == UInt8(ascii: "]") { return }
            guard b == UInt8(ascii: ",") else { throw Failure() }
        }
    }

    /// True (and consumed) when the value at the cursor is `null`.
    mutating func null() -> Bool {
        skipSpace()
        if i + 4 <= bytes.count, bytes[i] == UInt8(ascii: "n") {
            i += 4
            return true
        }
        return false
    }

    mutating func string() throws(Failure) -> String {
        try expect(UInt8(ascii: "\""))
        let start = i
        var escaped = false
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                escaped = true
                i += 1
            }
            i += 1
        }
        guard i < bytes.count else { throw Failure() }
        defer { i += 1 }
        if !escaped { return String(decoding: bytes[start..<i], as: UTF8.self) }
        return try unescape(bytes[start..<i])
    }

    mutating func optionalString() throws(Failure) -> String? { null() ? nil : try string() }

    mutating func int64() throws(Failure) -> Int64 {
        skipSpace()
        var negative = false
        if peek() == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var value: Int64 = 0
        let start = i
        while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
            value = value &* 10 &+ Int64(bytes[i] - UInt8(ascii: "0"))
            i += 1
        }
        guard i > start else { throw Failure() }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            throw Failure()
        }
        return negative ? -value : value
    }

    mutating func bool() throws(Failure) -> Bool {
        skipSpace()
        if i + 4 <= bytes.count, bytes[i] == UInt8(ascii: "t") {
            i += 4
            return true
        }
        if i + 5 <= bytes.count, bytes[i] == UInt8(ascii: "f") {
            i += 5
            return false
        }
        throw Failure()
    }

    mutating func optionalBool() throws(Failure) -> Bool? { null() ? nil : try bool() }

    /// Skips the value at the cursor (a field this version does not know).
    mutating func skip() throws(Failure) {
        skipSpace()
        switch peek() {
        case UInt8(ascii: "{"): try object { r, _ throws(Failure) in try r.skip() }
        case UInt8(ascii: "["): try array { r throws(Failure) in try r.skip() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
        case UInt8(ascii: "n"): _ = null()
        default:
            while i < bytes.count, !",}] \n\t\r".utf8.contains(bytes[i]) { i += 1 }
        }
    }

    private mutating func unescape(_ raw: ArraySlice<UInt8>) throws(Failure) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var j = raw.startIndex
        while j < raw.endIndex {
            let b = raw[j]
            j += 1
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                continue
            }
            guard j < raw.endIndex else { throw Failure() }
            let e = raw[j]
            j += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard j + 4 <= raw.endIndex, var code = UInt32(String(decoding: raw[j..<(j + 4)], as: UTF8.self), radix: 16)
                else { throw Failure() }
                j += 4
                if (0xD800..<0xDC00).contains(code), j + 6 <= raw.endIndex, raw[j] == UInt8(ascii: "\\"),
                    let low = UInt32(String(decoding: raw[(j + 2)..<(j + 6)], as: UTF8.self), radix: 16)
                {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    j += 6
                }
                guard let scalar = Unicode.Scalar(code) else { throw Failure() }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func expect(_ byte: UInt8) throws(Failure) {
        skipSpace()
        guard i < bytes.count, bytes[i] == byte else { throw Failure() }
        i += 1
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private func peek() -> UInt8? { i < bytes.count ? bytes[i] : nil }
}

/// Writes the JSON of stored records, field by field, as `JSONEncoder` would (nil fields left out).
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init() { bytes.reserveCapacity(512) }

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        comma()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// `"name": { ... }`.
    mutating func object(_ name: String, _ body: (inout JSONWriter) -> Void) {
        key(name)
        needsComma = false
        object(body)
    }

    mutating func array<S: Sequence>(_ name: String, _ elements: S, _ body: (inout JSONWriter, S.Element) -> Void) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for element in elements { body(&self, element) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        appendString(value)
        needsComma = true
    }

    mutating func field(_ name: String, _ value: Int64?) {
        guard let value else { return }
        key(name)
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    mutating func field(_ name: String, _ value: Bool?) {
        guard let value else { return }
        key(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        needsComma = true
    }

    mutating func element(_ value: Int64) {
        comma()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    private mutating func key(_ name: String) {
        comma()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    private mutating func comma() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// Text that needs no escape (nearly all of it) is copied in one piece.
    private mutating func appendString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        let plain = value.withUTF8 { utf8 -> Bool in
            for b in utf8 where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                return false
            }
            bytes.append(contentsOf: utf8)
            return true
        }
        if plain {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for b in value.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
