/// The `Credential` of a SigV4 request: `AKID/yyyyMMdd/region/service/aws4_request`.
struct CredentialScope {
    var accessKey: Substring
    var date: Substring
    var region: Substring
    var service: Substring
    /// `yyyyMMdd/region/service/aws4_request`, the scope line of every string to sign: the
    /// credential after the access key.
    var scope: Substring

    /// Parses a credential; on failure, returns the part of AWS's message that follows its
    /// header- or query-specific prefix.
    static func parse(_ text: Substring) -> Result<CredentialScope, CredentialScopeError> {
        var parts: [Substring] = []
        parts.reserveCapacity(5)
        let utf8 = text.utf8
        var start = utf8.startIndex
        var i = start
        while i != utf8.endIndex {
            if utf8[i] == UInt8(ascii: "/") {
                parts.append(text[start..<i])
                start = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
        parts.append(text[start..<utf8.endIndex])
        guard parts.count == 5, !parts[0].isEmpty, parts[1].utf8.count == 8,
            parts[1].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), !parts[2].isEmpty
        else {
            return .failure(
                CredentialScopeError(
                    "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"."
                ))
        }
        guard parts[3] == "s3" else {
            return .failure(
                CredentialScopeError("incorrect service \"\(parts[3])\". This endpoint belongs to \"s3\"."))
        }
        guard parts[4] == "aws4_request" else {
            return .failure(
                CredentialScopeError(
                    "incorrect terminal \"\(parts[4])\". This endpoint uses \"aws4_request\"."))
        }
        return .success(
            CredentialScope(
                accessKey: parts[0], date: parts[1], region: parts[2], service: parts[3],
                scope: text[parts[1].startIndex...]))
    }
}

/// Why a credential did not parse, in AWS's words (without the header/query prefix).
struct CredentialScopeError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
