import Digest
import Foundation
import HTTP
import Testing

@testable import S3Auth

/// The AWS chunked-upload examples (sigv4-streaming, sigv4-streaming-trailers): 66560 bytes of
/// "a" sent as a 65536-byte chunk, a 1024-byte chunk and the final empty chunk.
enum ChunkedExample {
    static let payload = [UInt8](repeating: UInt8(ascii: "a"), count: 66560)
    static let signatures = [
        "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
        "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
        "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
    ]
    static let trailerSignatures = [
        "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
        "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
        "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
    ]

    /// The framed body; `trailer` goes after the final chunk.
    static func body(_ signatures: [String], trailer: String = "\r\n", corruptAt: Int? = nil) -> [UInt8] {
        var data = payload
        if let corruptAt { data[corruptAt] = UInt8(ascii: "b") }
        var out: [UInt8] = []
        out += Array("10000;chunk-signature=\(signatures[0])\r\n".utf8) + data[0..<65536] + Array("\r\n".utf8)
        out += Array("400;chunk-signature=\(signatures[1])\r\n".utf8) + data[65536...] + Array("\r\n".utf8)
        out += Array("0;chunk-signature=\(signatures[2])\r\n".utf8) + Array(trailer.utf8)
        return out
    }

    static func request(body: [UInt8], trailer: Bool = false) -> HTTPRequest {
        var headers: [(String, String)] = [
            ("Host", "s3.amazonaws.com"), ("x-amz-date", "20130524T000000Z"),
            ("x-amz-storage-class", "REDUCED_REDUNDANCY"), ("Content-Encoding", "aws-chunked"),
            ("x-amz-decoded-content-length", "66560"),
        ]
        if trailer {
            headers += [
                (
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                        + "SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;"
                        + "x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer,"
                        + "Signature=106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"
                ),
                ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"),
                ("x-amz-trailer", "x-amz-checksum-crc32c"),
            ]
        } else {
            headers += [
                (
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                        + "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                        + "x-amz-decoded-content-length;x-amz-storage-class,"
                        + "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
                ),
                ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
                ("Content-Length", "66824"),
            ]
        }
        return HTTPRequest(
            method: "PUT", target: "/examplebucket/chunkObject.txt", headers: HTTPHeaders(headers),
            body: BufferSource(body), contentLength: Int64(body.count))
    }
}

@Suite("aws-chunked bodies") struct AWSChunkedTests {
    @Test("the AWS chunked-upload example verifies and decodes, whatever the read size")
    func signedExample() throws {
        let body = ChunkedExample.body(ChunkedExample.signatures)
        #expect(body.count == 66824)
        for readSize in [1000, 4096, 65536, 100_000] {
            let context = try Example.authenticator.authenticate(
                ChunkedExample.request(body: body), virtualHostBucket: nil, now: Example.sigV4Time)
            #expect(context.decodedContentLength == 66560)
            #expect(try drain(context.body, readSize: readSize) == ChunkedExample.payload)
        }
    }

    @Test("a changed byte in the second chunk fails its chunk signature")
    func corruptedChunk() throws {
        let body = ChunkedExample.body(ChunkedExample.signatures, corruptAt: 65540)
        let context = try Example.authenticator.authenticate(
            ChunkedExample.request(body: body), virtualHostBucket: nil, now: Example.sigV4Time)
        let error = authError { _ = try drain(context.body) }
        guard case .signatureDoesNotMatch(let stringToSign, _)? = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
        #expect(stringToSign.hasPrefix("AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n"))
        #expect(stringToSign.contains(ChunkedExample.signatures[0]))
    }

    @Test("a wrong final chunk signature fails")
    func wrongFinalSignature() throws {
        var signatures = ChunkedExample.signatures
        signatures[2] = String(repeating: "0", count: 64)
        let context = try Example.authenticator.authenticate(
            ChunkedExample.request(body: ChunkedExample.body(signatures)), virtualHostBucket: nil,
            now: Example.sigV4Time)
        #expect(authError { _ = try drain(context.body) }?.kind == "signatureDoesNotMatch")
    }

    @Test("a body cut short is IncompleteBody")
    func truncated() throws {
        let body = Array(ChunkedExample.body(ChunkedExample.signatures)[0..<40000])
        let context = try Example.authenticator.authenticate(
            ChunkedExample.request(body: body), virtualHostBucket: nil, now: Example.sigV4Time)
        #expect(authError { _ = try drain(context.body) } == .incompleteBody)
    }

    @Test("the AWS trailer example verifies its chunks and trailer signature and fills the trailers")
    func signedTrailerExample() throws {
        let trailer =
            "x-amz-checksum-crc32c:sOO8/Q==\r\n"
            + "x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n"
        let body = ChunkedExample.body(ChunkedExample.trailerSignatures, trailer: trailer)
        let context = try Example.authenticator.authenticate(
            ChunkedExample.request(body: body, trailer: true), virtualHostBucket: nil, now: Example.sigV4Time)
        #expect(try drain(context.body) == ChunkedExample.payload)
        #expect(context.trailers == ["x-amz-checksum-crc32c": "sOO8/Q=="])
        let crc = CRC32C()
        crc.update(ChunkedExample.payload)
        #expect(Base64.encode(crc.finalize()) == "sOO8/Q==")
    }

    @Test("a reader that stops at x-amz-decoded-content-length still gets the trailers and every check")
    func readerStoppingAtDeclaredLength() throws {
        let trailer =
            "x-amz-checksum-crc32c:sOO8/Q==\r\n"
            + "x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n"
        let body = ChunkedExample.body(ChunkedExample.trailerSignatures, trailer: trailer)
        let context = try Example.authenticator.authenticate(
            ChunkedExample.request(body: body, trailer: true), virtualHostBucket: nil, now: Example.sigV4Time)
        #expect(try readExactly(context.body, 66560) == ChunkedExample.payload)
        #expect(context.trailers == ["x-amz-checksum-crc32c": "sOO8/Q=="])

        var signatures = ChunkedExample.signatures
        signatures[2] = String(repeating: "0", count: 64)
        let bad = try Example.authenticator.authenticate(
            ChunkedExample.request(body: ChunkedExample.body(signatures)), virtualHostBucket: nil,
            now: Example.sigV4Time)
        #expect(authError { _ = try readExactly(bad.body, 66560) }?.kind == "signatureDoesNotMatch")
    }

    @Test("a changed trailer value fails the trailer signature")
    func tamperedTrailer() throws {
        let trailer =
            "x-amz-checksum-crc32c:AAAAAA==\r\n"
            + "x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n"
        let body = ChunkedExample.body(ChunkedExample.trailerSignatures, trailer: trailer)
        let context = try Example.authenticator.authenticate(
            ChunkedExample.request(body: body, trailer: true), virtualHostBucket: nil, now: Example.sigV4Time)
        #expect(authError { _ = try drain(context.body) }?.kind == "signatureDoesNotMatch")
    }

    @Test("an unsigned trailer body decodes and fills the trailers")
    func unsignedTrailer() throws {
        let body = Array("5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n".utf8)
        let request = makeRequest(
            "PUT", "/bucket/key",
            [
                ("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
                ("x-amz-decoded-content-length", "11"),
                ("x-amz-trailer", "x-amz-checksum-crc32"),
            ], body: body)
        let context = try Example.authenticator.authenticate(
            request, virtualHostBucket: nil, now: Example.sigV4Time)
        #expect(context.account == nil)
        #expect(context.decodedContentLength == 11)
        #expect(try drain(context.body, readSize: 3) == Array("hello world".utf8))
        #expect(context.trailers == ["x-amz-checksum-crc32": "DUoRhQ=="])
    }

    @Test("a decoded length different from x-amz-decoded-content-length is refused")
    func decodedLengthMismatch() throws {
        for (declared, expected) in [("12", AuthError.incompleteBody), ("10", nil)] {
            let body = Array("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n".utf8)
            let request = makeRequest(
                "PUT", "/bucket/key",
                [
                    ("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
                    ("x-amz-decoded-content-length", declared),
                ], body: body)
            let context = try Example.authenticator.authenticate(
                request, virtualHostBucket: nil, now: Example.sigV4Time)
            let error = authError { _ = try drain(context.body) }
            if let expected {
                #expect(error == expected)
            } else {
                #expect(error?.kind.hasPrefix("invalidChunk") == true)
            }
        }
    }
}
