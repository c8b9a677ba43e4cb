/// An S3 error: its code, HTTP status and AWS's default message, plus per-request details.
package struct S3Error: Error, Sendable {
    package let code: String
    package let status: Int
    package var message: String
    /// Extra elements of the `<Error>` body (`Resource`, `ArgumentName`, `Key`, ...), in order.
    package var details: [(String, String)] = []

    package init(_ code: String, _ status: Int, _ message: String) {
        self.code = code
        self.status = status
        self.message = message
    }
}
