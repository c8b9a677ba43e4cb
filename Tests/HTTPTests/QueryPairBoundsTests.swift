import Testing

@testable import HTTP

/// Splitting raw query strings into pairs.
struct QueryPairBoundsTests {
    private func pairs(_ query: String) -> [String] {
        var query = query
        return query.withUTF8 { bytes in
            queryPairBounds(bytes).map { b in
                let text = String(decoding: bytes[b.start..<b.end], as: UTF8.self)
                return b.eq < 0 ? "[\(text)]" : "\(text)@\(b.eq - b.start)"
            }
        }
    }

    @Test("pairs split at &, the first = located, empty pairs dropped")
    func splits() {
        #expect(pairs("") == [])
        #expect(pairs("acl") == ["[acl]"])
        #expect(pairs("a=1&b=&&c&d=x=y&") == ["a=1@1", "b=@1", "[c]", "d=x=y@1"])
        #expect(pairs("&&=v") == ["=v@0"])
        #expect(
            pairs("X-Amz-Credential=k%2F2026&X-Amz-Signature=ab") == [
                "X-Amz-Credential=k%2F2026@16", "X-Amz-Signature=ab@15",
            ])
    }
}
