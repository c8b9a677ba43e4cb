import Testing

@testable import CloudServer

@Suite("CIDR")
struct CIDRTests {
    @Test(
        "networks match the addresses inside them",
        arguments: [
            ("127.0.0.1/8", "127.5.5.5", true),
            ("127.0.0.1/8", "127.0.0.1", true),
            ("127.0.0.1/8", "128.0.0.1", false),
            ("127.0.0.1/8", "::ffff:127.0.0.1", true),
            ("127.0.0.1/8", "::ffff:10.0.0.1", false),
            ("127.0.0.1/8", "::1", false),
            ("::1", "::1", true),
            ("::1", "[::1]", true),
            ("::1", "::2", false),
            ("::1", "127.0.0.1", false),
            ("10.0.0.0/24", "10.0.0.255", true),
            ("10.0.0.0/24", "10.0.1.0", false),
            ("10.1.2.3", "10.1.2.3", true),
            ("10.1.2.3", "10.1.2.4", false),
            ("0.0.0.0/0", "8.8.8.8", true),
            ("::/0", "2001:db8::1", true),
            ("::/0", "8.8.8.8", true),
            ("fd00::/8", "fd12:3456::1", true),
            ("fd00::/8", "fe80::1%eth0", false),
            ("fe80::/10", "fe80::1%eth0", true),
            ("::ffff:0:0/96", "192.168.1.1", true),
            ("192.168.0.0/16", "not an address", false),
            ("192.168.0.0/16", "", false),
        ])
    func contains(_ network: String, _ address: String, _ expected: Bool) throws {
        let cidr = try #require(CIDR(network))
        #expect(cidr.contains(address) == expected)
    }

    @Test(
        "malformed networks are refused",
        arguments: [
            "", "127.0.0.1/33", "::1/129", "127.0.0.1/", "127.0.0.1/-1", "127.0.0.1/8/8", "localhost",
            "256.0.0.1", "1.2.3", "127.0.0.1/ 8", "::g", "127.0.0.01/8", "127.0.0.1/+8",
        ])
    func malformed(_ text: String) {
        #expect(CIDR(text) == nil)
    }

    @Test(
        "host bits are cleared and the prefix kept",
        arguments: [
            ("127.0.0.1/8", "127.0.0.0/8"), ("::1", "::1/128"), ("10.1.2.3", "10.1.2.3/32"),
            ("2001:db8::ffff/32", "2001:db8::/32"), ("192.168.1.129/25", "192.168.1.128/25"),
        ])
    func normalized(_ text: String, _ expected: String) throws {
        #expect(try #require(CIDR(text)).description == expected)
    }
}
