import Glibc

/// Parsing and matching of `CIDR` networks (`healthChecks.allowFrom`, HEALTHCHECKS_ALLOWFROM).
///
/// IPv4 networks hold 4 address bytes, IPv6 networks 16. A peer written as an IPv4-mapped IPv6
/// address (`::ffff:127.0.0.1`, what a dual-stack socket reports for IPv4 clients) is matched
/// by IPv4 networks, and an IPv4 peer is matched by IPv6 networks through its mapped form.
extension CIDR {
    /// Parses `127.0.0.1/8`, `10.0.0.0/24`, `::1`, `fd00::/8`, `[::1]/128`. A missing prefix
    /// means a single address (/32 or /128). Returns nil for anything else.
    package init?(_ text: String) {
        let trimmed = text.trimmingSpaces
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = CIDR.parseAddress(String(parts[0])) else { return nil }
        var length = bytes.count * 8
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(digits), value <= length
            else { return nil }
            length = value
        }
        self.init(address: bytes, prefixLength: length)
    }

    /// True when the textual peer address lies in this network. Accepts `[v6]` brackets and a
    /// `%zone` suffix; false for text that is not an IP address.
    package func contains(_ address: String) -> Bool {
        guard var peer = CIDR.parseAddress(address) else { return false }
        if peer.count != self.address.count {
            if peer.count == 16, let v4 = CIDR.embeddedIPv4(peer) {
                peer = v4
            } else if peer.count == 4 {
                peer = CIDR.mappedPrefix + peer
            } else {
                return false
            }
        }
        return CIDR.masked(peer, prefixLength) == self.address
    }

    /// Parses an IPv4 or IPv6 literal (with optional brackets and zone) with `inet_pton`.
    static func parseAddress(_ text: String) -> [UInt8]? {
        var literal = Substring(text.trimmingSpaces)
        if literal.hasPrefix("[") && literal.hasSuffix("]") { literal = literal.dropFirst().dropLast() }
        if let percent = literal.firstIndex(of: "%") { literal = literal[..<percent] }
        if literal.isEmpty { return nil }
        if literal.contains(":") {
            var storage = in6_addr()
            guard inet_pton(AF_INET6, String(literal), &storage) == 1 else { return nil }
            return withUnsafeBytes(of: &storage) { Array($0) }
        }
        var storage = in_addr()
        guard inet_pton(AF_INET, String(literal), &storage) == 1 else { return nil }
        return withUnsafeBytes(of: &storage) { Array($0) }
    }

    /// `::ffff:0:0/96`, the prefix of IPv4-mapped IPv6 addresses (RFC 4291 2.5.5.2).
    static let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF]

    /// The IPv4 address inside an IPv4-mapped IPv6 address, nil for other IPv6 addresses.
    static func embeddedIPv4(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count == 16, Array(bytes[0..<12]) == mappedPrefix else { return nil }
        return Array(bytes[12..<16])
    }

    static func masked(_ bytes: [UInt8], _ prefixLength: Int) -> [UInt8] {
        var result = bytes
        for index in result.indices {
            let bitsKept = min(8, max(0, prefixLength - index * 8))
            result[index] &= bitsKept == 0 ? 0 : ~UInt8(0) << (8 - bitsKept)
        }
        return result
    }
}

extension CIDR: CustomStringConvertible {
    /// `127.0.0.0/8`, `::1/128`.
    package var description: String {
        var bytes = address
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let printed = bytes.withUnsafeMutableBytes { raw in
            inet_ntop(family, raw.baseAddress, &text, socklen_t(text.count))
        }
        guard printed != nil else { return "?/\(prefixLength)" }
        let end = text.firstIndex(of: 0) ?? text.count
        return String(decoding: text[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            + "/\(prefixLength)"
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return String(view)
    }
}
