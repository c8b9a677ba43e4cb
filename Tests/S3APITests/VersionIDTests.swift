import Testing

@testable import S3API

@Suite("VersionID") struct VersionIDTests {
    @Test("IDs generated later sort first, as raw bytes")
    func ordering() {
        var previous = VersionID.generate(replicationGroupID: "RG001")
        for _ in 0..<2000 {
            let next = VersionID.generate(replicationGroupID: "RG001")
            #expect(next < previous)
            previous = next
        }
    }

    @Test("a raw ID has the original's shape: 14 + 6 digits, a 7-character group, a uniquifier")
    func shape() {
        let raw = VersionID.generate(replicationGroupID: "RG001")
        #expect(raw.utf8.count == 28)
        #expect(raw.prefix(20).allSatisfy { $0.isNumber })
        #expect(raw.dropFirst(20).prefix(7) == "RG001  ")
    }

    @Test(
        "hex is 56 characters and base62 32, and both decode back",
        arguments: [VersionID.Encoding.hex, .base62])
    func roundTrip(encoding: VersionID.Encoding) {
        let raw = VersionID.generate(replicationGroupID: "PARIS01")
        let encoded = VersionID.encode(raw, encoding)
        #expect(encoded.count == (encoding == .hex ? 56 : 32))
        #expect(VersionID.decode(encoded, encoding) == raw)
    }

    @Test(
        "garbage is not a version ID",
        arguments: ["", "null", "abc", String(repeating: "z", count: 56), String(repeating: "!", count: 32)])
    func garbage(text: String) {
        #expect(VersionID.decode(text, .hex) == nil)
    }
}
