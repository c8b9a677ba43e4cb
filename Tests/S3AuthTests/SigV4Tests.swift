import Digest
import Foundation
import HTTP
import Synchronization
import Testing

@testable import S3Auth

/// The AWS S3 "GET Object" example (sig-v4-header-based-auth).
func getObjectExample(signature: String = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    -> [(String, String)]
{
    [
        ("Host", "examplebucket.s3.amazonaws.com"),
        (
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=\(signature)"
        ),
        ("Range", "bytes=0-9"),
        ("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("x-amz-date", "20130524T000000Z"),
    ]
}

@Suite("SigV4 with the Authorization header") struct SigV4Tests {
    @Test("the AWS GET Object example verifies")
    func getObjectExampleVerifies() throws {
        let request = makeRequest("GET", "/test.txt", getObjectExample())
        let context = try Example.authenticator.authenticate(
            request, virtualHostBucket: "examplebucket", now: Example.sigV4Time)
        #expect(context.account == Example.account)
        #expect(context.accessKey == Example.accessKey)
        #expect(context.signatureVersion == 4)
        #expect(try drain(context.body).isEmpty)
    }

    @Test("the AWS PUT Object example verifies, its payload hash checked while reading")
    func putObjectExample() throws {
        let body = Array("Welcome to Amazon S3.".utf8)
        let headers = [
            ("Host", "examplebucket.s3.amazonaws.com"), ("Date", "Fri, 24 May 2013 00:00:00 GMT"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                    + "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
                    + "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"
            ),
            ("x-amz-date", "20130524T000000Z"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ("x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"),
        ]
        let ok = try Example.authenticator.authenticate(
            makeRequest("PUT", "/test%24file.text", headers, body: body), virtualHostBucket: "examplebucket",
            now: Example.sigV4Time)
        #expect(try drain(ok.body, readSize: 5) == body)
        #expect(ok.decodedContentLength == 21)

        let tampered = try Example.authenticator.authenticate(
            makeRequest("PUT", "/test%24file.text", headers, body: Array("Welcome to Amazon S4.".utf8)),
            virtualHostBucket: "examplebucket", now: Example.sigV4Time)
        #expect(authError { _ = try drain(tampered.body) }?.kind == "xAmzContentSHA256Mismatch")
        #expect(authError { _ = try drain(tampered.body) }?.kind == "xAmzContentSHA256Mismatch")
    }

    @Test("the AWS GET Bucket lifecycle and list examples verify")
    func bucketExamples() throws {
        for (target, signature) in [
            ("/?lifecycle", "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"),
            ("/?max-keys=2&prefix=J", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"),
        ] {
            let headers = [
                ("Host", "examplebucket.s3.amazonaws.com"), ("x-amz-date", "20130524T000000Z"),
                ("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                (
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                        + "SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=\(signature)"
                ),
            ]
            _ = try Example.authenticator.authenticate(
                makeRequest("GET", target, headers), virtualHostBucket: "examplebucket",
                now: Example.sigV4Time)
        }
    }

    @Test(
        "the AWS SigV4 test-suite vectors give the published signatures",
        arguments: [
            (
                "get-vanilla", "GET", "/", [("Host", "example.amazonaws.com")], "host;x-amz-date", "",
                "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
            ),
            (
                "get-vanilla-query-order-key-case", "GET", "/?Param2=value2&Param1=value1",
                [("Host", "example.amazonaws.com")], "host;x-amz-date", "",
                "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
            ),
            (
                "get-header-value-trim", "GET", "/",
                [
                    ("Host", "example.amazonaws.com"), ("My-Header1", " value1"),
                    ("My-Header2", " \"a   b   c\""),
                ],
                "host;my-header1;my-header2;x-amz-date", "",
                "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"
            ),
            (
                "get-vanilla-query-unreserved", "GET",
                "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                    + "=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                [("Host", "example.amazonaws.com")], "host;x-amz-date", "",
                "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"
            ),
            (
                "get-unreserved", "GET",
                "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                [("Host", "example.amazonaws.com")], "host;x-amz-date", "",
                "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"
            ),
            (
                "get-vanilla-utf8-query", "GET", "/?\u{1234}=bar", [("Host", "example.amazonaws.com")],
                "host;x-amz-date", "", "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"
            ),
            (
                "get-header-key-duplicate", "GET", "/",
                [
                    ("Host", "example.amazonaws.com"), ("My-Header1", "value2"), ("My-Header1", "value2"),
                    ("My-Header1", "value1"),
                ],
                "host;my-header1;x-amz-date", "",
                "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"
            ),
            (
                "post-x-www-form-urlencoded", "POST", "/",
                [
                    ("Content-Type", "application/x-www-form-urlencoded"), ("Host", "example.amazonaws.com"),
                    ("Content-Length", "13"),
                    (
                        "x-amz-content-sha256",
                        "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"
                    ),
                ],
                "content-length;content-type;host;x-amz-content-sha256;x-amz-date", "Param1=value1",
                "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"
            ),
        ])
    func testSuite(
        name: String, method: String, target: String, headers: [(String, String)], signedHeaders: String,
        body: String, expected: String
    ) {
        let request = makeRequest(method, target, headers + [("X-Amz-Date", "20150830T123600Z")])
        let canonical = CanonicalRequest.build(
            method: method, path: request.path, query: QueryParameters(request.query),
            headers: request.headers,
            signedHeaders: Substring(signedHeaders), payloadHash: Hex.encode(SHA256.hash(body.utf8)))
        let stringToSign = SigV4.stringToSign(
            amzDate: "20150830T123600Z", scope: "20150830/us-east-1/service/aws4_request",
            canonicalRequest: canonical)
        let key = SigningKeyCache.derive(
            secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", date: "20150830", region: "us-east-1",
            service: "service")
        #expect(SigV4.sign(stringToSign, key: key) == expected, "\(name)")
    }

    @Test("a request signed for another region verifies with that region")
    func anyRegion() throws {
        let authenticator = Authenticator(
            credentials: StaticCredentialStore([(Example.accessKey, Example.secret, Example.account)]),
            region: "eu-west-1")
        let request = makeRequest("GET", "/test.txt", getObjectExample())
        _ = try authenticator.authenticate(request, virtualHostBucket: nil, now: Example.sigV4Time)
    }

    @Test("a wrong secret gives SignatureDoesNotMatch with the canonical request")
    func wrongSecret() {
        let authenticator = Authenticator(
            credentials: StaticCredentialStore([(Example.accessKey, "not-the-secret", Example.account)]))
        let error = authError {
            _ = try authenticator.authenticate(
                makeRequest("GET", "/test.txt", getObjectExample()), virtualHostBucket: nil,
                now: Example.sigV4Time)
        }
        guard case .signatureDoesNotMatch(let stringToSign, let canonicalRequest)? = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
        #expect(
            stringToSign.hasPrefix("AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n")
        )
        #expect(
            canonicalRequest.hasPrefix(
                "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"))
    }

    @Test("a tampered signed header gives SignatureDoesNotMatch")
    func tamperedHeader() {
        var headers = getObjectExample()
        headers[2] = ("Range", "bytes=0-10")
        let error = authError {
            _ = try Example.authenticator.authenticate(
                makeRequest("GET", "/test.txt", headers), virtualHostBucket: nil, now: Example.sigV4Time)
        }
        #expect(error?.kind == "signatureDoesNotMatch")
    }

    @Test("an unknown access key gives InvalidAccessKeyId")
    func unknownKey() {
        let authenticator = Authenticator(credentials: StaticCredentialStore([]))
        let error = authError {
            _ = try authenticator.authenticate(
                makeRequest("GET", "/test.txt", getObjectExample()), virtualHostBucket: nil,
                now: Example.sigV4Time)
        }
        #expect(error == .invalidAccessKeyId)
    }

    @Test("a request 20 minutes off our clock is RequestTimeTooSkewed; 14 minutes is fine")
    func skew() throws {
        let request = makeRequest("GET", "/test.txt", getObjectExample())
        let error = authError {
            _ = try Example.authenticator.authenticate(
                request, virtualHostBucket: nil, now: Example.sigV4Time.addingTimeInterval(20 * 60))
        }
        #expect(
            error
                == .requestTimeTooSkewed(requestTime: "20130524T000000Z", serverTime: "2013-05-24T00:20:00Z"))
        _ = try Example.authenticator.authenticate(
            request, virtualHostBucket: nil, now: Example.sigV4Time.addingTimeInterval(-14 * 60))
    }

    @Test(
        "malformed Authorization headers give AuthorizationHeaderMalformed",
        arguments: [
            (
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,Signature=abc",
                "The authorization header is malformed; the authorization header requires three components: "
                    + "Credential, SignedHeaders, and Signature."
            ),
            (
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1,SignedHeaders=host,Signature=abc",
                "The authorization header is malformed; the Credential is mal-formed; expecting "
                    + "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"."
            ),
            (
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/ec2/aws4_request,"
                    + "SignedHeaders=host,Signature=abc",
                "The authorization header is malformed; incorrect service \"ec2\". This endpoint belongs to \"s3\"."
            ),
            (
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130525/us-east-1/s3/aws4_request,"
                    + "SignedHeaders=host,Signature=abc",
                "The authorization header is malformed; Invalid credential date \"20130525\". "
                    + "This date is not the same as X-Amz-Date: \"20130524\"."
            ),
            (
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                    + "SignedHeaders,Signature=abc",
                "The authorization header is malformed; the authorization component \"SignedHeaders\" is malformed."
            ),
        ])
    func malformed(header: String, message: String) {
        var headers = getObjectExample()
        headers[1] = ("Authorization", header)
        let error = authError {
            _ = try Example.authenticator.authenticate(
                makeRequest("GET", "/test.txt", headers), virtualHostBucket: nil, now: Example.sigV4Time)
        }
        #expect(error == .authorizationHeaderMalformed(message))
    }

    @Test("a missing x-amz-content-sha256 is InvalidRequest, an unknown value InvalidArgument")
    func contentSHA256Header() {
        var headers = getObjectExample()
        headers.remove(at: 3)
        let missing = authError {
            _ = try Example.authenticator.authenticate(
                makeRequest("GET", "/test.txt", headers), virtualHostBucket: nil, now: Example.sigV4Time)
        }
        #expect(missing == .invalidRequest("Missing required header for this request: x-amz-content-sha256"))
        headers.append(("x-amz-content-sha256", "SOMETHING"))
        let unknown = authError {
            _ = try Example.authenticator.authenticate(
                makeRequest("GET", "/test.txt", headers), virtualHostBucket: nil, now: Example.sigV4Time)
        }
        #expect(unknown == .invalidArgument(PayloadMode.invalidValueMessage))
    }

    @Test("a request without any date is AccessDenied")
    func missingDate() {
        var headers = getObjectExample()
        headers.remove(at: 4)
        let error = authError {
            _ = try Example.authenticator.authenticate(
                makeRequest("GET", "/test.txt", headers), virtualHostBucket: nil, now: Example.sigV4Time)
        }
        #expect(error == .accessDenied(SigV4.missingDateMessage))
    }
}

@Suite("Authenticator under concurrency") struct ConcurrencyTests {
    @Test("many threads verify with one authenticator and its key cache")
    func concurrent() {
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<50 {
                do {
                    _ = try Example.authenticator.authenticate(
                        makeRequest("GET", "/test.txt", getObjectExample()), virtualHostBucket: nil,
                        now: Example.sigV4Time)
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
    }
}
