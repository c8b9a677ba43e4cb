import Testing

@testable import Digest

/// Hashes a string in one call.
private func digest(_ hasher: some Hasher, _ text: String) -> String {
    hasher.update(text)
    return Hex.encode(hasher.finalize())
}

@Suite("Hashers") struct HasherTests {
    @Test(
        "known vectors give the published digests",
        arguments: [
            ("MD5 abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("MD5 empty", "d41d8cd98f00b204e9800998ecf8427e"),
            ("SHA1 abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
            ("SHA256 empty", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("SHA256 abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("CRC32 check", "cbf43926"),
            ("CRC32C check", "e3069283"),
            ("CRC64NVME check", "ae8b14860a799888"),
            ("CRC32 empty", "00000000"),
            ("CRC32C empty", "00000000"),
        ])
    func knownVectors(name: String, expected: String) {
        let input: String =
            name.hasSuffix("abc") ? "abc" : name.hasSuffix("check") ? "123456789" : ""
        let hasher: any Hasher =
            switch name.split(separator: " ")[0] {
            case "MD5": MD5()
            case "SHA1": SHA1()
            case "SHA256": SHA256()
            case "CRC32": CRC32()
            case "CRC32C": CRC32C()
            default: CRC64NVME()
            }
        #expect(digest(hasher, input) == expected)
    }

    @Test(
        "feeding bytes in pieces gives the same digest as one call",
        arguments: ["MD5", "SHA1", "SHA256", "CRC32", "CRC32C", "CRC64NVME"])
    func streamingEqualsOneShot(name: String) {
        func make() -> any Hasher {
            switch name {
            case "MD5": MD5()
            case "SHA1": SHA1()
            case "SHA256": SHA256()
            case "CRC32": CRC32()
            case "CRC32C": CRC32C()
            default: CRC64NVME()
            }
        }
        let data = (0..<10_007).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
        let whole = make()
        whole.update(data)
        let expected = whole.finalize()
        for piece in [1, 3, 7, 8, 13, 64, 1000, 4096] {
            let h = make()
            var i = 0
            while i < data.count {
                let end = min(i + piece, data.count)
                data[i..<end].withUnsafeBytes { h.update($0) }
                i = end
            }
            #expect(h.finalize() == expected, "piece size \(piece)")
        }
    }

    @Test("CRC32C tables and the CPU instruction agree on unaligned inputs")
    func crc32cPathsAgree() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        for start in 0..<9 {
            for length in [0, 1, 7, 8, 9, 31, 32, 33, 100, 991 - start] {
                let slice = Array(data[start..<(start + length)])
                let a = CRC32C()
                slice.withUnsafeBytes { a.update($0) }
                let b = CRC32C()
                slice.withUnsafeBytes { b.updateWithTable($0) }
                #expect(a.value == b.value)
            }
        }
        let table = CRC32C()
        Array("123456789".utf8).withUnsafeBytes { table.updateWithTable($0) }
        #expect(table.value == 0xE306_9283)
    }

    @Test("a reset hasher starts over")
    func reset() {
        let h = SHA256()
        h.update("garbage")
        h.reset()
        #expect(digest(h, "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hex.encode(SHA256.hash(Array("abc".utf8))) == Hex.encode(SHA256.hash("abc".utf8)))
    }
}

@Suite("Checksum algorithms") struct ChecksumAlgorithmTests {
    @Test(
        "each algorithm gives the base64 checksum S3 shows for \"hello world\"",
        arguments: [
            ("crc32", "DUoRhQ=="), ("CRC32C", "yZRlqg=="), ("sha1", "Kq5sNclPz7QV2+lfQIuc6R7oRu0="),
            ("SHA256", "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="),
        ])
    func checksums(name: String, expected: String) throws {
        let hasher = try #require(ChecksumAlgorithm(name: name)).makeHasher()
        hasher.update("hello world")
        #expect(Base64.encode(hasher.finalize()) == expected)
    }

    @Test("unknown names are refused and header suffixes are lower-case")
    func names() {
        #expect(ChecksumAlgorithm(name: "md5") == nil)
        #expect(ChecksumAlgorithm.crc64nvme.headerSuffix == "crc64nvme")
    }
}
