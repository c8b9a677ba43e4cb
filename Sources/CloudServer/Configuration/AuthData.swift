import S3Auth

/// Reads `conf/authdata.json`: `{"accounts": [{name, email, arn, canonicalID, shortid,
/// keys: [{access, secret}]}]}` (docs section 2.7.3).
///
/// Every field is required and non-empty; `arn`, `email` and `canonicalID` are unique among
/// accounts and every access key is unique in the file, since one key must lead to one
/// account. The original's per-account `users` are ignored.
enum AuthData {
    typealias Credential = (accessKey: String, secret: String, account: Account)

    /// The credentials of `document`, in file order.
    static func parse(_ document: JSONValue, file: String) throws(ConfigError) -> [Credential] {
        let root = try ConfigObject(document, file: file, path: "")
        guard case .array(let accounts) = try root.required("accounts") else {
            throw root.error(
                "accounts", "must be an array (got \(root.members["accounts"]!.shortDescription))")
        }
        var credentials: [Credential] = []
        var seen: [String: [String: Int]] = ["arn": [:], "email": [:], "canonicalID": [:]]
        var seenKeys: [String: String] = [:]
        for (position, value) in accounts.enumerated() {
            let entry = try ConfigObject(value, file: file, path: "accounts[\(position)]")
            let account = Account(
                name: try entry.requiredString("name"), email: try entry.requiredString("email"),
                arn: try entry.requiredString("arn"), canonicalID: try entry.requiredString("canonicalID"),
                shortid: try entry.requiredString("shortid"))
            for (field, fieldValue) in [
                ("arn", account.arn), ("email", account.email), ("canonicalID", account.canonicalID),
            ] {
                if let first = seen[field]![fieldValue] {
                    throw entry.error(
                        field, "\(JSONRendering.quoted(fieldValue)) is already used by accounts[\(first)]")
                }
                seen[field]![fieldValue] = position
            }
            guard case .array(let keys) = try entry.required("keys") else {
                throw entry.error("keys", "must be an array (got \(entry.members["keys"]!.shortDescription))")
            }
            // An account no key can sign for is a configuration mistake, never intended.
            if keys.isEmpty { throw entry.error("keys", "must hold at least one {access, secret} pair") }
            for (keyPosition, keyValue) in keys.enumerated() {
                let key = try ConfigObject(keyValue, file: file, path: entry.keyPath("keys[\(keyPosition)]"))
                let access = try key.requiredString("access")
                let secret = try key.requiredString("secret")
                if let owner = seenKeys[access] {
                    throw key.error(
                        "access", "access key \(JSONRendering.quoted(access)) is already used by \(owner)")
                }
                seenKeys[access] = key.path
                credentials.append((access, secret, account))
            }
        }
        return credentials
    }

    /// The single account built from SCALITY_ACCESS_KEY_ID and SCALITY_SECRET_ACCESS_KEY
    /// (docs section 2.7.3). Its identity is fixed so buckets keep their owner across restarts
    /// and key rotations.
    static func customAccount(accessKey: String, secret: String) -> [Credential] {
        let account = Account(
            name: "CustomAccount", email: "customaccount@cloudserver.local",
            arn: "arn:aws:iam::123456789012:root",
            canonicalID: "5e7a1c9d3b2f4a6e8c0d1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e",
            shortid: "123456789012")
        return [(accessKey, secret, account)]
    }
}
