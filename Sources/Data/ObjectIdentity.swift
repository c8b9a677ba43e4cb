import HTTP

/// The object some data belongs to, as a backend may need it: remote backends name the data
/// after `bucket` and `key` and store `headers` with it (docs 3.2.5: "both the data and any user
/// metadata ... will be stored on AWS S3"). Local backends ignore it.
package struct ObjectIdentity: Sendable, Equatable {
    /// The local bucket's name.
    package var bucket: String
    package var key: String
    /// Content headers and user metadata to keep with the data: `Content-Type`,
    /// `Cache-Control`, `Content-Disposition`, `Content-Encoding`, `Content-Language`,
    /// `Expires`, `x-amz-meta-*`.
    package var headers: HTTPHeaders

    package init(bucket: String, key: String, headers: HTTPHeaders = HTTPHeaders()) {
        self.bucket = bucket
        self.key = key
        self.headers = headers
    }
}
