/// Percent-encoding as SigV4 canonical requests spell it.
///
/// AWS's rule (sigv4-create-canonical-request): every byte except the unreserved characters
/// `A-Z a-z 0-9 - . _ ~` becomes `%XY` with upper-case hex; `/` is kept in paths only.
enum URIEncoding {
    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    @inline(__always) static func isUnreserved(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// Appends `byte` to `out`, escaped unless unreserved.
    @inline(__always) static func append(_ byte: UInt8, to out: inout [UInt8]) {
        if isUnreserved(byte) {
            out.append(byte)
        } else {
            out.append(UInt8(ascii: "%"))
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0f)])
        }
    }

    /// The byte of the `%XY` escape at `i` in `bytes`, or nil when there is none.
    @inline(__always) private static func escape(at i: Int, in bytes: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard i + 2 < bytes.count, bytes[i] == UInt8(ascii: "%"),
            let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2])
        else { return nil }
        return high << 4 | low
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }

    /// The canonical URI of a raw request path.
    ///
    /// S3 neither normalises the path nor encodes it twice: the path is taken as sent, each
    /// `%XY` escape is decoded and every byte re-encoded by the rule above, `/` kept literal
    /// (an escaped `%2F` stays escaped). Clients that escape the way AWS does see their path
    /// unchanged; the fast path returns it without copying.
    static func canonicalPath(_ rawPath: String) -> String {
        if rawPath.isEmpty { return "/" }
        var raw = rawPath
        return raw.withUTF8 { bytes -> String in
            if isCanonicalPath(bytes) { return rawPath }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            var i = 0
            while i < bytes.count {
                if let b = escape(at: i, in: bytes) {
                    append(b, to: &out)
                    i += 3
                } else {
                    let c = bytes[i]
                    if c == UInt8(ascii: "/") { out.append(c) } else { append(c, to: &out) }
                    i += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// True when the path already reads as its canonical form.
    private static func isCanonicalPath(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if isUnreserved(c) || c == UInt8(ascii: "/") {
                i += 1
            } else if let b = escape(at: i, in: bytes), !isUnreserved(b),
                !(97...102).contains(bytes[i + 1]), !(97...102).contains(bytes[i + 2])
            {
                i += 3
            } else {
                return false
            }
        }
        return true
    }

    /// Decodes `%XY` escapes (and `+` as a space when `plusAsSpace`); a `%` that starts no
    /// valid escape stays literal.
    static func decode(_ text: Substring, plusAsSpace: Bool) -> String {
        var text = text
        return text.withUTF8 { p in
            var needs = false
            for c in p where c == UInt8(ascii: "%") || (plusAsSpace && c == UInt8(ascii: "+")) {
                needs = true
                break
            }
            if !needs { return String(decoding: p, as: UTF8.self) }
            var out: [UInt8] = []
            out.reserveCapacity(p.count)
            var i = 0
            while i < p.count {
                if let b = escape(at: i, in: p) {
                    out.append(b)
                    i += 3
                } else {
                    out.append(plusAsSpace && p[i] == UInt8(ascii: "+") ? UInt8(ascii: " ") : p[i])
                    i += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Encodes a decoded query name or value for the canonical query string (`/` escaped too).
    static func encodeQueryComponent(_ text: String, into out: inout [UInt8]) {
        for c in text.utf8 { append(c, to: &out) }
    }

    /// Appends the canonical form of a raw query name or value: `decode(raw, plusAsSpace: true)`
    /// re-encoded by `encodeQueryComponent`, in one pass over the bytes. An escape of a non-ASCII
    /// byte takes the two-step way, where invalid UTF-8 becomes U+FFFD as it always has.
    static func appendCanonicalQueryComponent(_ raw: Substring, to out: inout [UInt8]) {
        var raw = raw
        let start = out.count
        let done = raw.withUTF8 { p -> Bool in
            var i = 0
            while i < p.count {
                // A run of unreserved bytes is copied as it is.
                var run = i
                while run < p.count && isUnreserved(p[run]) { run += 1 }
                if run > i {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<run]))
                    i = run
                    continue
                }
                if let b = escape(at: i, in: p) {
                    if b >= 0x80 { return false }
                    append(b, to: &out)
                    i += 3
                } else {
                    append(p[i] == UInt8(ascii: "+") ? UInt8(ascii: " ") : p[i], to: &out)
                    i += 1
                }
            }
            return true
        }
        if !done {
            out.removeSubrange(start...)
            encodeQueryComponent(decode(raw, plusAsSpace: true), into: &out)
        }
    }
}
