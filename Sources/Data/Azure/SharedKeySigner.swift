import Digest
import HTTP

/// SharedKey authorization of Blob service requests (learn.microsoft.com, "Authorize with
/// Shared Key", version 2009-09-19 and later): `Authorization: SharedKey account:signature`,
/// the signature being the base64 HMAC-SHA256, under the decoded account key, of
///
/// ```
/// VERB \n Content-Encoding \n Content-Language \n Content-Length \n Content-MD5 \n
/// Content-Type \n Date \n If-Modified-Since \n If-Match \n If-None-Match \n
/// If-Unmodified-Since \n Range \n CanonicalizedHeaders CanonicalizedResource
/// ```
///
/// Content-Length is empty when 0 (version 2015-02-21 and later). CanonicalizedHeaders: every
/// `x-ms-` header as `name:value\n`, names lower-cased, in the service's collation
/// (`AzureHeaderOrder`). CanonicalizedResource: `/account` + the request path as sent, then
/// `\nname:value` for each query parameter, names lower-cased and sorted, values decoded.
struct SharedKeySigner: Sendable {
    let accountName: String
    let key: [UInt8]

    /// The standard headers of the string to sign, in its order.
    private static let signedHeaders = [
        "content-encoding", "content-language", "content-length", "content-md5", "content-type", "date",
        "if-modified-since", "if-match", "if-none-match", "if-unmodified-since", "range",
    ]

    /// The string to sign of a request; `path` is percent-encoded as sent, `query` decoded.
    func stringToSign(method: String, path: String, query: [(String, String)], headers: HTTPHeaders) -> String
    {
        var text = method + "\n"
        for name in Self.signedHeaders {
            var value = headers[name] ?? ""
            if name == "content-length" && value == "0" { value = "" }
            text += value + "\n"
        }
        let msHeaders = headers.filter { $0.name.lowercased().hasPrefix("x-ms-") }
            .map { ($0.name.lowercased(), $0.value) }
            .sorted { AzureHeaderOrder.precedes($0.0, $1.0) }
        for (name, value) in msHeaders { text += name + ":" + value + "\n" }
        text += "/" + accountName + path
        for (name, value) in query.map({ ($0.0.lowercased(), $0.1) }).sorted(by: { $0.0 < $1.0 }) {
            text += "\n" + name + ":" + value
        }
        return text
    }

    /// The base64 signature of `stringToSign`.
    func signature(of stringToSign: String) -> String {
        Base64.encode(HMAC.sha256(key: key, data: Array(stringToSign.utf8)))
    }

    /// `headers` with `Authorization` added for the request.
    func sign(method: String, path: String, query: [(String, String)], headers: HTTPHeaders) -> HTTPHeaders {
        var signed = headers
        let text = stringToSign(method: method, path: path, query: query, headers: headers)
        signed.set("Authorization", "SharedKey \(accountName):\(signature(of: text))")
        return signed
    }
}
