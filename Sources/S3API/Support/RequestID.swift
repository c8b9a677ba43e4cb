import Synchronization

/// Request IDs as S3 shapes them: 16 upper-case hex characters, unique per process run
/// (a random prefix and a counter), plus the longer `x-amz-id-2`.
package enum RequestID {
    private static let prefix = UInt32.random(in: 0...UInt32.max)
    private static let counter = Atomic<UInt32>(0)

    /// A new request ID.
    package static func next() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        return hex(UInt64(prefix) << 32 | UInt64(n))
    }

    /// The `x-amz-id-2` value that goes with `requestID`.
    package static func hostID(_ requestID: String) -> String {
        "cloudserver/" + requestID
    }

    private static func hex(_ v: UInt64) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out = [UInt8](repeating: 0, count: 16)
        var v = v
        for i in stride(from: 15, through: 0, by: -1) {
            out[i] = digits[Int(v & 0xF)]
            v >>= 4
        }
        return String(decoding: out, as: UTF8.self)
    }
}
