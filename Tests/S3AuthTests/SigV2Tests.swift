import Foundation
import HTTP
import Testing

@testable import S3Auth

@Suite("SigV2") struct SigV2Tests {
    /// Tue, 27 Mar 2007 19:36:42 +0000, the time of the SigV2 examples.
    static let exampleTime = Date(timeIntervalSince1970: 1_175_024_202)

    @Test(
        "the AWS SigV2 header examples verify",
        arguments: [
            (
                "GET", "/photos/puppy.jpg", "johnsmith",
                [("Host", "johnsmith.s3.amazonaws.com"), ("Date", "Tue, 27 Mar 2007 19:36:42 +0000")],
                "bWq2s1WEIj+Ydj0vQ697zp+IXMU="
            ),
            (
                "PUT", "/photos/puppy.jpg", "johnsmith",
                [
                    ("Content-Type", "image/jpeg"), ("Content-Length", "94328"),
                    ("Host", "johnsmith.s3.amazonaws.com"),
                    ("Date", "Tue, 27 Mar 2007 21:15:45 +0000"),
                ],
                "MyyxeRY7whkBe+bq8fHCL/2kKUg="
            ),
            (
                "GET", "/?prefix=photos&max-keys=50&marker=puppy", "johnsmith",
                [
                    ("User-Agent", "Mozilla/5.0"), ("Host", "johnsmith.s3.amazonaws.com"),
                    ("Date", "Tue, 27 Mar 2007 19:42:41 +0000"),
                ],
                "htDYFYduRNen8P9ZfE/s9SuKy0U="
            ),
            (
                "GET", "/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re", nil,
                [("Host", "s3.amazonaws.com"), ("Date", "Wed, 28 Mar 2007 01:49:49 +0000")],
                "DNEZGsoieTZ92F3bUfSPQcbGmlM="
            ),
        ] as [(String, String, String?, [(String, String)], String)])
    func headerExamples(
        method: String, target: String, bucket: String?, headers: [(String, String)], signature: String
    ) throws {
        let request = makeRequest(
            method, target, headers + [("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:\(signature)")])
        let date = AmzDate(rfc1123: request.headers["date"]!)!
        let context = try Example.authenticator.authenticate(
            request, virtualHostBucket: bucket,
            now: Date(timeIntervalSince1970: Double(date.epochSeconds + 60)))
        #expect(context.signatureVersion == 2)
        #expect(context.account == Example.account)
    }

    @Test("the AWS SigV2 query example verifies until Expires")
    func queryExample() throws {
        let target =
            "/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D"
            + "&Expires=1175139620"
        let request = makeRequest("GET", target, [("Host", "johnsmith.s3.amazonaws.com")])
        let context = try Example.authenticator.authenticate(
            request, virtualHostBucket: "johnsmith", now: Date(timeIntervalSince1970: 1_175_139_620))
        #expect(context.signatureVersion == 2)
        let error = authError {
            _ = try Example.authenticator.authenticate(
                request, virtualHostBucket: "johnsmith", now: Date(timeIntervalSince1970: 1_175_139_621))
        }
        #expect(error == .accessDenied("Request has expired"))
    }

    @Test("sub-resources are signed, other parameters are not")
    func subresources() {
        let query = QueryParameters("versionId=3&prefix=a&acl&response-content-type=text%2Fplain")
        #expect(
            SigV2StringToSign.canonicalResource(path: "/key", query: query, virtualHostBucket: "b")
                == "/b/key?acl&response-content-type=text/plain&versionId=3")
        #expect(
            SigV2StringToSign.canonicalResource(path: "/", query: QueryParameters(""), virtualHostBucket: "b")
                == "/b/")
        #expect(
            SigV2StringToSign.canonicalResource(
                path: "/b", query: QueryParameters("max-keys=1000&prefix=&versions="), virtualHostBucket: nil)
                == "/b?versions")
    }

    @Test("x-amz headers are canonicalized and x-amz-date empties the Date line")
    func amzHeaders() {
        let headers = HTTPHeaders([
            ("X-Amz-Meta-ReviewedBy", "joe@example.com"), ("x-amz-meta-reviewedby", "jane@example.com"),
            ("X-Amz-Date", "Tue, 27 Mar 2007 21:20:26 +0000"), ("Content-MD5", "4gJE4saaMU4BqNR0kLY+lw=="),
            ("Content-Type", "application/x-download"),
        ])
        let text = SigV2StringToSign.build(
            method: "PUT", headers: headers, date: "", path: "/db-backup.dat.gz", query: QueryParameters(""),
            virtualHostBucket: "static.example.com")
        #expect(
            text
                == "PUT\n4gJE4saaMU4BqNR0kLY+lw==\napplication/x-download\n\n"
                + "x-amz-date:Tue, 27 Mar 2007 21:20:26 +0000\n"
                + "x-amz-meta-reviewedby:joe@example.com,jane@example.com\n/static.example.com/db-backup.dat.gz"
        )
    }

    @Test("a wrong signature, an unknown key, a skewed clock and a malformed header are refused")
    func errors() {
        func attempt(_ authorization: String, at now: Date = SigV2Tests.exampleTime) -> AuthError? {
            let request = makeRequest(
                "GET", "/photos/puppy.jpg",
                [
                    ("Host", "johnsmith.s3.amazonaws.com"), ("Date", "Tue, 27 Mar 2007 19:36:42 +0000"),
                    ("Authorization", authorization),
                ])
            return authError {
                _ = try Example.authenticator.authenticate(request, virtualHostBucket: "johnsmith", now: now)
            }
        }
        #expect(attempt("AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU=") == nil)
        #expect(
            attempt("AWS AKIAIOSFODNN7EXAMPLE:cWq2s1WEIj+Ydj0vQ697zp+IXMU=")?.kind == "signatureDoesNotMatch")
        #expect(attempt("AWS NOPE:bWq2s1WEIj+Ydj0vQ697zp+IXMU=") == .invalidAccessKeyId)
        #expect(
            attempt("AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU=", at: Self.exampleTime + 20 * 60)?
                .kind
                == "requestTimeTooSkewed")
        #expect(
            attempt("AWS AKIAIOSFODNN7EXAMPLE")
                == .invalidArgument("AWS authorization header is invalid.  Expected AwsAccessKeyId:signature")
        )
    }
}
