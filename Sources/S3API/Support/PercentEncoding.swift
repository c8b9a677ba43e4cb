/// Percent-decoding of request paths and query strings, and the encoding S3 uses for
/// `encoding-type=url` listings.
package enum PercentEncoding {
    /// Decodes `%XX` escapes; with `plusAsSpace` (query strings) `+` becomes a space. Returns nil
    /// for a malformed escape or bytes that are not UTF-8.
    package static func decode(_ text: Substring, plusAsSpace: Bool) -> String? {
        var text = text
        return text.withUTF8 { decode($0, plusAsSpace: plusAsSpace) }
    }

    /// `decode(_:plusAsSpace:)` over the UTF-8 bytes of valid text: ASCII escapes and `+` split
    /// no character, so text without them comes back as it was.
    package static func decode(_ utf8: UnsafeBufferPointer<UInt8>, plusAsSpace: Bool) -> String? {
        var plain = true
        for b in utf8 where b == UInt8(ascii: "%") || (plusAsSpace && b == UInt8(ascii: "+")) {
            plain = false
            break
        }
        if plain { return String(decoding: utf8, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var i = 0
        while i < utf8.count {
            let b = utf8[i]
            if b == UInt8(ascii: "%") {
                guard i + 2 < utf8.count, let hi = hexValue(utf8[i + 1]), let lo = hexValue(utf8[i + 2])
                else { return nil }
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(plusAsSpace && b == UInt8(ascii: "+") ? UInt8(ascii: " ") : b)
                i += 1
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    /// Encodes every byte but unreserved characters (A-Z a-z 0-9 - _ . ~), and `/` when
    /// `keepSlash`; listings with `encoding-type=url` encode keys this way.
    package static func encode(_ text: String, keepSlash: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out += "%"
                out.unicodeScalars.append(Unicode.Scalar(hexDigit(b >> 4)))
                out.unicodeScalars.append(Unicode.Scalar(hexDigit(b & 0xF)))
            }
        }
        return out
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "A") + v - 10
    }
}
