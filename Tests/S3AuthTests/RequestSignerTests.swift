import Digest
import Foundation
import HTTP
import Testing

@testable import S3Auth

@Suite("Requests signed like clients do verify") struct RequestSignerTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    @Test(
        "header-signed requests with awkward keys and queries verify",
        arguments: [
            "/bucket/plain", "/bucket/caf%C3%A9%20au%20lait", "/bucket/a%2Bb%2Fc",
            "/bucket/%E2%9C%93%21%27%28%29",
            "/bucket/dir/?list-type=2&prefix=a%2Fb&delimiter=%2F", "/bucket/k?tagging", "/bucket/%01control",
        ])
    func headerSigned(target: String) throws {
        let body = Array("payload".utf8)
        let (headers, _) = RequestSigner.signV4(
            method: "PUT", target: target, headers: HTTPHeaders([("Host", "localhost:8000")]),
            payloadHash: Hex.encode(SHA256.hash(body)), accessKey: Example.accessKey, secret: Example.secret,
            region: "US", date: Self.now)
        let request = HTTPRequest(
            method: "PUT", target: target, headers: headers, body: BufferSource(body), contentLength: 7)
        let context = try Example.authenticator.authenticate(request, virtualHostBucket: nil, now: Self.now)
        #expect(try drain(context.body) == body)
    }

    @Test("presigned targets verify")
    func presigned() throws {
        let target = RequestSigner.presignV4(
            method: "GET", target: "/bucket/a%20b?versionId=x", host: "localhost",
            accessKey: Example.accessKey,
            secret: Example.secret, date: Self.now, expires: 60)
        let request = makeRequest("GET", target, [("Host", "localhost")])
        _ = try Example.authenticator.authenticate(request, virtualHostBucket: nil, now: Self.now)
    }

    @Test("signed aws-chunked bodies of several sizes verify", arguments: [0, 1, 8191, 8192, 20000])
    func chunked(size: Int) throws {
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0) }
        let (headers, seed) = RequestSigner.signV4(
            method: "PUT", target: "/bucket/key",
            headers: HTTPHeaders([("Host", "localhost"), ("x-amz-decoded-content-length", "\(size)")]),
            payloadHash: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", accessKey: Example.accessKey,
            secret: Example.secret,
            date: Self.now)
        let body = RequestSigner.awsChunkedBody(
            payload, chunkSize: 8192, seedSignature: seed, secret: Example.secret, date: Self.now)
        let request = HTTPRequest(
            method: "PUT", target: "/bucket/key", headers: headers, body: BufferSource(body),
            contentLength: Int64(body.count))
        let context = try Example.authenticator.authenticate(request, virtualHostBucket: nil, now: Self.now)
        #expect(try drain(context.body, readSize: 1000) == payload)
    }

    @Test("SigV2 signed requests verify, path-style and virtual-hosted")
    func sigV2() throws {
        for (target, bucket) in [("/bucket/key?uploads", nil), ("/key?acl", "bucket")] as [(String, String?)]
        {
            var headers = HTTPHeaders([("Host", "localhost"), ("Date", "Tue, 14 Nov 2023 22:13:20 GMT")])
            headers.add("x-amz-meta-a", "1")
            headers.add(
                "Authorization",
                RequestSigner.signV2(
                    method: "POST", target: target, headers: headers, virtualHostBucket: bucket,
                    accessKey: Example.accessKey, secret: Example.secret))
            let request = HTTPRequest(
                method: "POST", target: target, headers: headers, body: BufferSource([]), contentLength: 0)
            let context = try Example.authenticator.authenticate(
                request, virtualHostBucket: bucket, now: Self.now)
            #expect(context.signatureVersion == 2)
        }
    }
}
