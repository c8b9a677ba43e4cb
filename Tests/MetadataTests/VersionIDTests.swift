import Testing

@testable import Metadata

@Suite("VersionID") struct VersionIDTests {
    /// (raw ID, client form). Worked out by hand from the original's algorithm (Arsenal
    /// `lib/versioning/VersionID.ts`: `base62Encode` splits the 20 digits into two numbers of
    /// 10 and writes each in 6 base62 characters, then the bytes after the digits as one
    /// base-x number in 20; `encode` keeps hex for any raw length but 27). The first vector is
    /// the one quoted in the issue review; `01234567890000777000PARIS  ` follows the key
    /// example of docs 7.1.3; the last two are the original's hex-mode IDs, whose info field
    /// is its per-process counter ("0", then "10" after ten IDs).
    static let vectors: [(String, String)] = [
        ("98203833921416999999RG001  ", "aIBkkw1xTAqH00000000001I4j3QKItW"),
        ("99999999999999999999RG001  ", "aUKYOzaUKYOz00000000001I4j3QKItW"),
        ("00000000000000000000RG001  ", "00000000000000000000001I4j3QKItW"),
        ("98203833921416999999PARIS01", "aIBkkw1xTAqH00000000001FsCrDlwMF"),
        ("01234567890000777000PARIS  ", "08m0Kx003g8g00000000001FsCrDlvIk"),
        ("98203833921416999999RG001  0", "39383230333833333932313431363939393939395247303031202030"),
        ("98203833921416999999RG001  10", "3938323033383333393231343136393939393939524730303120203130"),
    ]

    @Test("the client form is the original's, and it decodes back", arguments: vectors)
    func originalForms(raw: String, shown: String) {
        #expect(VersionID.encode(raw) == shown)
        #expect(VersionID.decode(shown) == raw)
    }

    @Test("hex digits decode in either case, as the original's Buffer.from(hex) reads them")
    func upperCaseHex() {
        let shown = "39383230333833333932313431363939393939395247303031202030".uppercased()
        #expect(VersionID.decode(shown) == "98203833921416999999RG001  0")
    }

    @Test(
        "what neither server could show is not a version ID",
        arguments: [
            "", "null", "abc",
            String(repeating: "0", count: 31),  // too short for either form
            "aIBkkw1xTAqH00000000001I4j3QKIt!",  // not base62
            "zzzzzz1xTAqH00000000001I4j3QKItW",  // first half above 10 digits
            "aIBkkw1xTAqH0000000000000000000W",  // replication group bytes not printable
            "aIBkkw1xTAqHzzzzzzzzzzzzzzzzzzzz",  // replication group above 7 bytes
            String(repeating: "0", count: 57),  // odd hex length
            String(repeating: "g", count: 56),  // not hex
            "41" + String(repeating: "39", count: 19) + "52473030312020" + "30",  // 'A' among the digits
            String(repeating: "39", count: 20) + "52473030312020" + "0a",  // control character
            String(repeating: "39", count: 20) + String(repeating: "41", count: 72),  // info too long
        ])
    func refused(text: String) {
        #expect(VersionID.decode(text) == nil)
    }

    @Test("a generated ID has the original's layout: 14 + 6 digits, the 7-character group, then info")
    func layout() {
        let hex = VersionIDGenerator(replicationGroupID: "RG001", encoding: .hex).next()
        #expect(hex.utf8.count == 28)
        #expect(hex.prefix(20).allSatisfy { $0.isNumber })
        #expect(hex.dropFirst(20).prefix(7) == "RG001  ")
        #expect(VersionID.encode(hex).count == 56)
        let base62 = VersionIDGenerator(replicationGroupID: "PARIS0123", encoding: .base62).next()
        #expect(base62.utf8.count == 27)
        #expect(base62.hasSuffix("PARIS01"))
        #expect(VersionID.encode(base62).count == 32)
    }

    @Test(
        "IDs generated later sort first as raw bytes, and every one decodes from its client form",
        arguments: [VersionID.Encoding.hex, .base62])
    func ordering(encoding: VersionID.Encoding) {
        let generator = VersionIDGenerator(replicationGroupID: "RG001", encoding: encoding)
        var previous = generator.next()
        for _ in 0..<20_000 {
            let next = generator.next()
            #expect(compareBytes(Array(next.utf8), Array(previous.utf8)) < 0)
            #expect(VersionID.decode(VersionID.encode(next)) == next)
            previous = next
        }
    }

    @Test("the ID of a version put before versioning sorts after every generated ID")
    func nonVersioned() {
        let id = VersionID.nonVersioned(replicationGroupID: "RG001")
        #expect(id == "99999999999999999999RG001  ")
        let generated = VersionIDGenerator(replicationGroupID: "RG001", encoding: .hex).next()
        #expect(compareBytes(Array(generated.utf8), Array(id.utf8)) < 0)
    }

    @Test("a millisecond's sequence starts at a random place, so that two processes rarely meet")
    func randomSequenceStart() {
        // Fresh generators make their first ID in a new millisecond each: the sequence digits
        // (14..<20) vary, where the original's always start at 999999.
        let sequences = Set(
            (0..<50).map { _ in
                VersionIDGenerator(replicationGroupID: "RG001", encoding: .base62).next().dropFirst(14)
                    .prefix(6)
            })
        #expect(sequences.count > 40)
        #expect(sequences.allSatisfy { Int($0)! > VersionID.maxSequence - VersionID.sequenceStarts })
    }
}
