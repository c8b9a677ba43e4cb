/// An account of `conf/authdata.json` (or the one built from SCALITY_ACCESS_KEY_ID).
package struct Account: Sendable, Hashable, Codable {
    package var name: String
    package var email: String
    package var arn: String
    package var canonicalID: String
    package var shortid: String

    package init(name: String, email: String, arn: String, canonicalID: String, shortid: String) {
        self.name = name
        self.email = email
        self.arn = arn
        self.canonicalID = canonicalID
        self.shortid = shortid
    }
}

/// Finds the secret and the account of an access key.
package protocol CredentialStore: Sendable {
    func lookup(accessKey: String) -> (secret: String, account: Account)?
}

/// A fixed table of access keys, built once at startup.
package struct StaticCredentialStore: CredentialStore {
    private let keys: [String: (secret: String, account: Account)]

    package init(_ entries: [(accessKey: String, secret: String, account: Account)]) {
        var keys: [String: (secret: String, account: Account)] = [:]
        for e in entries { keys[e.accessKey] = (e.secret, e.account) }
        self.keys = keys
    }

    package func lookup(accessKey: String) -> (secret: String, account: Account)? { keys[accessKey] }
}
