import Foundation
import HTTP
import Testing

@testable import S3Auth

/// The AWS presigned GET example (sigv4-query-string-auth), with its query parameters overridable.
func presignedTarget(_ overrides: [String: String] = [:]) -> String {
    var params: [(String, String)] = [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
        ("X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"),
        ("X-Amz-Date", "20130524T000000Z"), ("X-Amz-Expires", "86400"), ("X-Amz-SignedHeaders", "host"),
        ("X-Amz-Signature", "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"),
    ]
    params = params.compactMap { name, value in
        guard let v = overrides[name] else { return (name, value) }
        return v.isEmpty ? nil : (name, v)
    }
    return "/test.txt?" + params.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
}

private func authenticate(
    _ target: String, at now: Date = Example.sigV4Time, headers: [(String, String)] = []
)
    throws(AuthError) -> AuthContext
{
    try Example.authenticator.authenticate(
        makeRequest("GET", target, [("Host", "examplebucket.s3.amazonaws.com")] + headers),
        virtualHostBucket: "examplebucket", now: now)
}

private func presignError(_ target: String, at now: Date = Example.sigV4Time) -> AuthError? {
    authError { _ = try authenticate(target, at: now) }
}

@Suite("SigV4 presigned URLs") struct PresignedTests {
    @Test("the AWS presigned GET example verifies until it expires")
    func example() throws {
        let context = try authenticate(presignedTarget())
        #expect(context.account == Example.account)
        #expect(context.signatureVersion == 4)
        _ = try authenticate(presignedTarget(), at: Example.sigV4Time.addingTimeInterval(86400))
        #expect(
            presignError(presignedTarget(), at: Example.sigV4Time.addingTimeInterval(86401))
                == .accessDenied("Request has expired"))
    }

    @Test("a URL dated more than 15 minutes ahead is not valid yet")
    func notYetValid() {
        #expect(
            presignError(presignedTarget(), at: Example.sigV4Time.addingTimeInterval(-16 * 60))
                == .accessDenied("Request is not yet valid"))
    }

    @Test(
        "bad X-Amz-Expires values give AuthorizationQueryParametersError",
        arguments: [
            ("604801", "X-Amz-Expires must be less than a week (in seconds) that is 604800"),
            ("-1", "X-Amz-Expires must be non-negative"),
            ("0", "X-Amz-Expires must be non-negative"),
            ("soon", "X-Amz-Expires should be a number"),
        ])
    func badExpires(value: String, message: String) {
        #expect(
            presignError(presignedTarget(["X-Amz-Expires": value]))
                == .authorizationQueryParametersError(message))
    }

    @Test("a missing parameter gives AuthorizationQueryParametersError")
    func missingParameter() {
        #expect(
            presignError(presignedTarget(["X-Amz-SignedHeaders": ""]))
                == .authorizationQueryParametersError(
                    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                        + "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."))
    }

    @Test("a garbled credential names the parameter")
    func garbledCredential() {
        #expect(
            presignError(presignedTarget(["X-Amz-Credential": "AKIAIOSFODNN7EXAMPLE%2F20130524"]))
                == .authorizationQueryParametersError(
                    "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "
                        + "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"."))
    }

    @Test("a changed signature or an added parameter gives SignatureDoesNotMatch")
    func tampered() {
        let badSignature = presignedTarget([
            "X-Amz-Signature": "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d405"
        ])
        #expect(presignError(badSignature)?.kind == "signatureDoesNotMatch")
        #expect(presignError(presignedTarget() + "&versionId=1")?.kind == "signatureDoesNotMatch")
    }

    @Test("an unknown access key gives InvalidAccessKeyId")
    func unknownKey() {
        let target = presignedTarget(["X-Amz-Credential": "NOPE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"])
        #expect(presignError(target) == .invalidAccessKeyId)
    }

    @Test("an Authorization header with a presigned query is InvalidRequest")
    func bothMechanisms() {
        let error = authError {
            _ = try authenticate(presignedTarget(), headers: [("Authorization", getObjectExample()[1].1)])
        }
        #expect(
            error
                == .invalidRequest(
                    "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query "
                        + "string parameter or the Authorization header should be specified"))
    }
}
