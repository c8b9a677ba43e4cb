/// An S3 error: its code, HTTP status and AWS's message, plus per-request details rendered as
/// extra elements of the `<Error>` body.
///
/// Every error a client can see is a row of `S3Error+Codes.swift`; requests specialise a row
/// with `with(message:)` / `with(_:_:)` rather than inventing new codes.
package struct S3Error: Error, Sendable, CustomStringConvertible {
    package let code: String
    package let status: Int
    package var message: String
    /// Extra elements of the `<Error>` body (`ArgumentName`, `Key`, `BucketName`...), in order.
    package var details: [(String, String)] = []
    /// Extra response headers (`x-amz-delete-marker` on a 404 for a delete marker...).
    package var headers: [(String, String)] = []

    package init(_ code: String, _ status: Int, _ message: String) {
        self.code = code
        self.status = status
        self.message = message
    }

    /// The same error with another message.
    package func with(message: String) -> S3Error {
        var copy = self
        copy.message = message
        return copy
    }

    /// The same error with one more detail element.
    package func with(_ element: String, _ value: String) -> S3Error {
        var copy = self
        copy.details.append((element, value))
        return copy
    }

    /// The same error with one more response header.
    package func with(header name: String, _ value: String) -> S3Error {
        var copy = self
        copy.headers.append((name, value))
        return copy
    }

    package var description: String { "\(code) (\(status)): \(message)" }
}
