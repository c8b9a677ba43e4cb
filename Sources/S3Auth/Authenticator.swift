import Foundation
import HTTP

/// Verifies SigV2 and SigV4 requests (header, presigned query, aws-chunked streaming, trailers).
package struct Authenticator: Sendable {
    package init(credentials: any CredentialStore, region: String = "us-east-1") {
        fatalError("not implemented yet")
    }

    /// Verifies the signature of `request` before anything is changed; `bucket` is the bucket
    /// name when it came from the Host (virtual-hosted style), needed by SigV2's resource.
    /// `now` is injected for tests. The returned context wraps the body so that payload hashes
    /// and chunk signatures are checked as the bytes stream.
    package func authenticate(_ request: HTTPRequest, virtualHostBucket: String?, now: Date = Date())
        throws(AuthError) -> AuthContext
    {
        fatalError("not implemented yet")
    }
}

/// The outcome of authentication.
package final class AuthContext {
    /// The account that signed, nil for an anonymous request.
    package let account: Account?
    package let accessKey: String?
    /// 2 or 4; 0 for anonymous.
    package let signatureVersion: Int
    /// The payload: aws-chunked decoded, hashes and chunk signatures verified while read (a
    /// mismatch throws `AuthError` from `read`). Content-MD5 is verified too when sent.
    package let body: any ByteSource
    /// The payload's length: `x-amz-decoded-content-length` for aws-chunked, else Content-Length.
    package let decodedContentLength: Int64?
    /// Trailing headers of an aws-chunked body (e.g. `x-amz-checksum-crc32`), lower-cased names;
    /// complete once `body` has been read to its end.
    package var trailers: [String: String] { trailerBox.values }

    private let trailerBox: TrailerBox

    package init(
        account: Account?, accessKey: String?, signatureVersion: Int, body: any ByteSource,
        decodedContentLength: Int64?, trailers: TrailerBox = TrailerBox()
    ) {
        self.account = account
        self.accessKey = accessKey
        self.signatureVersion = signatureVersion
        self.body = body
        self.decodedContentLength = decodedContentLength
        self.trailerBox = trailers
    }
}

/// Trailing headers filled in by the aws-chunked decoder when it reaches the end.
package final class TrailerBox {
    package var values: [String: String] = [:]
    package init() {}
}
