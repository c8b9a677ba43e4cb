import Digest
import Foundation
import HTTP
import Testing

@testable import S3Auth

@Suite("Content-MD5 and anonymous requests") struct BodyChecksTests {
    static let body = Array("Welcome to Amazon S3.".utf8)

    private func anonymous(_ headers: [(String, String)], body: [UInt8] = BodyChecksTests.body)
        throws(AuthError)
        -> AuthContext
    {
        try Example.authenticator.authenticate(
            makeRequest("PUT", "/bucket/key", headers, body: body), virtualHostBucket: nil,
            now: Example.sigV4Time)
    }

    @Test("a request without any signature is anonymous and its body passes through")
    func anonymousRequest() throws {
        let context = try anonymous([("Host", "s3.example.com")])
        #expect(context.account == nil)
        #expect(context.accessKey == nil)
        #expect(context.signatureVersion == 0)
        #expect(context.decodedContentLength == 21)
        #expect(try drain(context.body) == Self.body)
    }

    @Test("a matching Content-MD5 passes, a different one is BadDigest at the end of the body")
    func contentMD5() throws {
        let good = Base64.encode(MD5.hash(Self.body))
        #expect(try drain(anonymous([("Content-MD5", good)]).body, readSize: 4) == Self.body)
        let other = Base64.encode(MD5.hash(Array("something else".utf8)))
        let context = try anonymous([("Content-MD5", other)])
        #expect(authError { _ = try drain(context.body) } == .badDigest)
    }

    @Test(
        "a Content-MD5 that is not base64 of 16 bytes is InvalidDigest up front",
        arguments: ["nope", "AAAA", ""])
    func invalidDigest(value: String) {
        #expect(authError { _ = try anonymous([("Content-MD5", value)]) } == .invalidDigest)
    }

    @Test("Content-MD5 is checked on signed requests too")
    func signedContentMD5() throws {
        let headers = getObjectExample() + [("Content-MD5", Base64.encode(MD5.hash([1, 2, 3])))]
        let context = try Example.authenticator.authenticate(
            makeRequest("GET", "/test.txt", headers), virtualHostBucket: nil, now: Example.sigV4Time)
        #expect(authError { _ = try drain(context.body) } == .badDigest)
    }

    @Test("an anonymous request with a hex x-amz-content-sha256 has its payload checked")
    func anonymousPayloadHash() throws {
        let context = try anonymous([("x-amz-content-sha256", Hex.encode(SHA256.hash([0])))])
        #expect(authError { _ = try drain(context.body) }?.kind == "xAmzContentSHA256Mismatch")
    }

    @Test("an unknown Authorization scheme is refused")
    func unknownScheme() {
        #expect(
            authError {
                _ = try anonymous([("Authorization", "Bearer abc")])
            } == .invalidArgument("Unsupported Authorization Type"))
    }
}
