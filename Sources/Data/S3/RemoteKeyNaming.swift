/// Names on the remote bucket (docs 3.2.2, `bucketMatch`) and how they appear in request paths.
package enum RemoteKeyNaming {
    /// The remote object name of `key` of local bucket `bucket`: the key itself with
    /// `bucketMatch`, else `bucket/key` (so that several local buckets can share a remote one).
    package static func remoteKey(bucket: String, key: String, bucketMatch: Bool) -> String {
        bucketMatch ? key : bucket + "/" + key
    }

    /// The request path of `key` (nil: the bucket itself): `/bucket/key` path-style, `/key`
    /// virtual-hosted, the key percent-encoded as SigV4 canonical URIs are (every byte but
    /// `A-Z a-z 0-9 - . _ ~` and `/`), so the path is sent and signed exactly as S3 reads it.
    package static func path(bucket: String, key: String?, pathStyle: Bool) -> String {
        var out = pathStyle ? "/" + escape(bucket) : ""
        if let key { out += "/" + escape(key) }
        return out.isEmpty ? "/" : out
    }

    /// A query string of `parameters` in the given order, names and values percent-encoded
    /// (`/` too); a nil value gives a bare name (`?uploads`).
    package static func query(_ parameters: [(String, String?)]) -> String {
        parameters.map { name, value in
            value.map { escape(name, keepSlash: false) + "=" + escape($0, keepSlash: false) }
                ?? escape(name, keepSlash: false)
        }.joined(separator: "&")
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    /// AWS's URI encoding of `text`.
    static func escape(_ text: String, keepSlash: Bool = true) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for c in text.utf8 {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(c)
            case UInt8(ascii: "/") where keepSlash:
                out.append(c)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(c >> 4)])
                out.append(hex[Int(c & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
