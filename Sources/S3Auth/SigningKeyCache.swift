import Digest
import Locks
import Synchronization

/// Derived SigV4 signing keys, by secret and credential scope (`date/region/service/aws4_request`).
///
/// Deriving a key costs four HMACs; a client signs every request of a day with the same one.
/// The table is cleared when it grows past `capacity` (a new day, or many keys).
final class SigningKeyCache: Sendable {
    private struct Key: Hashable {
        var secret: String
        var scope: String
    }

    private let entries = Locked<[Key: [UInt8]]>([:])
    private let capacity = 1024

    /// The key for `secret` in `scope`, whose `date` (yyyyMMdd), `region` and `service` parts
    /// are given apart.
    func signingKey(
        secret: String, scope: String, date: Substring, region: Substring, service: Substring
    ) -> [UInt8] {
        let key = Key(secret: secret, scope: scope)
        if let cached = entries.withLock({ $0[key] }) { return cached }
        let derived = Self.derive(secret: secret, date: date, region: region, service: service)
        entries.withLock { table in
            if table.count >= capacity { table.removeAll(keepingCapacity: true) }
            table[key] = derived
        }
        return derived
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
    static func derive(secret: String, date: Substring, region: Substring, service: Substring) -> [UInt8] {
        let kDate = HMAC.sha256(key: Array(("AWS4" + secret).utf8), data: date.utf8)
        let kRegion = HMAC.sha256(key: kDate, data: region.utf8)
        let kService = HMAC.sha256(key: kRegion, data: service.utf8)
        return HMAC.sha256(key: kService, data: "aws4_request".utf8)
    }
}
