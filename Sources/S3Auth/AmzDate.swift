/// A request time in whole seconds since 1970, parsed by hand from the two forms S3 accepts:
/// ISO 8601 basic (`20130524T000000Z`, x-amz-date and X-Amz-Date) and RFC 1123
/// (`Fri, 24 May 2013 00:00:00 GMT`, the Date header). DateFormatter is far too slow for
/// something every request does.
struct AmzDate: Equatable, Comparable {
    var epochSeconds: Int64

    static func < (a: AmzDate, b: AmzDate) -> Bool { a.epochSeconds < b.epochSeconds }

    init(epochSeconds: Int64) { self.epochSeconds = epochSeconds }

    /// Parses `yyyyMMdd'T'HHmmss'Z'`.
    init?(iso8601Basic text: String) {
        let b = Array(text.utf8)
        guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z"),
            let year = Self.number(b, 0, 4), let month = Self.number(b, 4, 2), let day = Self.number(b, 6, 2),
            let hour = Self.number(b, 9, 2), let minute = Self.number(b, 11, 2),
            let second = Self.number(b, 13, 2)
        else { return nil }
        guard let t = Self.epoch(year, month, day, hour, minute, second) else { return nil }
        epochSeconds = t
    }

    private static let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]

    /// Parses `[Www, ]d[d] Mon yyyy HH:mm:ss (GMT|UTC|Z|±hhmm)`.
    init?(rfc1123 text: String) {
        var parts = text.split(separator: " ", omittingEmptySubsequences: true)
        if let first = parts.first, first.hasSuffix(",") { parts.removeFirst() }
        guard parts.count == 5 || parts.count == 4,
            let day = Int(parts[0]), let month = Self.months.firstIndex(of: parts[1].lowercased()),
            let year = Int(parts[2])
        else { return nil }
        let clock = parts[3].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]),
            let second = Int(clock[2])
        else { return nil }
        var offset = 0
        if parts.count == 5 {
            let zone = parts[4]
            if zone == "GMT" || zone == "UTC" || zone == "Z" {
                offset = 0
            } else if zone.utf8.count == 5, let sign = zone.first, sign == "+" || sign == "-",
                let hhmm = Int(zone.dropFirst())
            {
                offset = (hhmm / 100 * 3600 + hhmm % 100 * 60) * (sign == "-" ? -1 : 1)
            } else {
                return nil
            }
        }
        guard let t = Self.epoch(year, month + 1, day, hour, minute, second) else { return nil }
        epochSeconds = t - Int64(offset)
    }

    /// `yyyyMMdd'T'HHmmss'Z'`.
    var iso8601Basic: String {
        let (y, mo, d, h, mi, s) = components
        return pad(y, 4) + pad(mo, 2) + pad(d, 2) + "T" + pad(h, 2) + pad(mi, 2) + pad(s, 2) + "Z"
    }

    /// `yyyy-MM-dd'T'HH:mm:ss'Z'`, as S3 writes ServerTime.
    var iso8601: String {
        let (y, mo, d, h, mi, s) = components
        return pad(y, 4) + "-" + pad(mo, 2) + "-" + pad(d, 2) + "T" + pad(h, 2) + ":" + pad(mi, 2) + ":"
            + pad(s, 2) + "Z"
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.utf8.count >= width
            ? digits : String(repeating: "0", count: width - digits.utf8.count) + digits
    }

    /// Civil date and time of the instant (proleptic Gregorian, UTC).
    private var components: (Int, Int, Int, Int, Int, Int) {
        let days = Int(epochSeconds >= 0 ? epochSeconds / 86400 : (epochSeconds - 86399) / 86400)
        let secs = Int(epochSeconds - Int64(days) * 86400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, secs / 3600, secs % 3600 / 60, secs % 60)
    }

    /// Seconds since 1970 of a civil UTC time; nil for out-of-range fields.
    private static func epoch(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int) -> Int64? {
        guard (1...12).contains(m), (1...31).contains(d), (0...23).contains(h), (0...59).contains(mi),
            (0...60).contains(s), (1...9999).contains(y)
        else { return nil }
        let year = m <= 2 ? y - 1 : y
        let era = (year >= 0 ? year : year - 399) / 400
        let yoe = year - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Int64(days) * 86400 + Int64(h * 3600 + mi * 60 + s)
    }

    private static func number(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        var v = 0
        for i in start..<(start + count) {
            let c = b[i]
            guard c >= 0x30 && c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }
}
