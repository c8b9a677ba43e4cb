import Testing

@testable import Digest

@Suite("HMAC, hex, base64 and comparison") struct EncodingTests {
    @Test("HMAC-SHA256 matches RFC 4231 test cases 2 and 6")
    func hmacSHA256() {
        let case2 = HMAC.sha256(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8))
        #expect(Hex.encode(case2) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let case6 = HMAC.sha256(
            key: [UInt8](repeating: 0xaa, count: 131),
            data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        #expect(Hex.encode(case6) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("HMAC-SHA1 matches RFC 2202 test case 2")
    func hmacSHA1() {
        let mac = HMAC.sha1(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8))
        #expect(Hex.encode(mac) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }

    @Test(
        "base64 round-trips the RFC 4648 vectors",
        arguments: [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
        ])
    func base64(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test(
        "base64 decoding rejects malformed text",
        arguments: ["Zg=", "Zg=a", "Z===", "Zm9v!A==", "=Zm9", "Zm 9"])
    func base64Rejects(text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test("hex encodes lowercase and decodes either case")
    func hex() {
        #expect(Hex.encode([0x00, 0xAB, 0xff, 0x10]) == "00abff10")
        #expect(Hex.decode("00ABff10") == [0x00, 0xAB, 0xff, 0x10])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.isHex("e3b0", count: 4))
        #expect(!Hex.isHex("e3bg", count: 4))
    }

    @Test("constant-time comparison tells equal from different bytes")
    func comparison() {
        #expect(constantTimeEquals([1, 2, 3] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(!constantTimeEquals([1, 2, 3] as [UInt8], [1, 2, 4] as [UInt8]))
        #expect(!constantTimeEquals([1, 2] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(constantTimeEquals("abc", "abc"))
        #expect(!constantTimeEquals("abc", "abd"))
    }
}
