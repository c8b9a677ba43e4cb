#if canImport(Glibc)
    import Glibc
#endif

/// Dates as S3 writes them: RFC 1123 in headers (`Last-Modified`, `Date`), ISO 8601 with
/// milliseconds in XML (`LastModified`, `CreationDate`). Formatted by hand: this runs on every
/// request.
package enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// Milliseconds since the epoch, now.
    package static func nowMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// `Tue, 25 Nov 2026 10:00:00 GMT`.
    /// Written byte by byte (29 bytes; years outside 1000...9999 take the interpolated form).
    package static func rfc1123(milliseconds: Int64) -> String {
        let c = civil(milliseconds / 1000)
        guard (1000...9999).contains(c.year) else {
            return
                "\(days[c.weekday]), \(pad(c.day)) \(months[c.month - 1]) \(c.year) \(pad(c.hour)):\(pad(c.minute)):\(pad(c.second)) GMT"
        }
        return String(unsafeUninitializedCapacity: 29) { out in
            var i = 0
            func put(_ b: UInt8) {
                out[i] = b
                i += 1
            }
            func put2(_ v: Int) {
                put(UInt8(truncatingIfNeeded: 0x30 + v / 10))
                put(UInt8(truncatingIfNeeded: 0x30 + v % 10))
            }
            for b in days[c.weekday].utf8 { put(b) }
            put(UInt8(ascii: ","))
            put(UInt8(ascii: " "))
            put2(c.day)
            put(UInt8(ascii: " "))
            for b in months[c.month - 1].utf8 { put(b) }
            put(UInt8(ascii: " "))
            put2(c.year / 100)
            put2(c.year % 100)
            put(UInt8(ascii: " "))
            put2(c.hour)
            put(UInt8(ascii: ":"))
            put2(c.minute)
            put(UInt8(ascii: ":"))
            put2(c.second)
            for b in " GMT".utf8 { put(b) }
            return i
        }
    }

    /// `2026-11-25T10:00:00.123Z`.
    package static func iso8601(milliseconds: Int64) -> String {
        let c = civil(milliseconds / 1000)
        let ms = Int(milliseconds % 1000)
        let msText = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return
            "\(c.year)-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second)).\(msText)Z"
    }

    /// Parses an RFC 1123 date (`Tue, 25 Nov 2026 10:00:00 GMT`) or an ISO 8601 one
    /// (`20261125T100000Z`, `2026-11-25T10:00:00.000Z`); returns milliseconds since the epoch.
    package static func parse(_ text: String) -> Int64? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "," })
        if fields.count == 5 || fields.count == 6 {
            // [weekday,] day month year hh:mm:ss GMT
            let f = fields.count == 6 ? Array(fields.dropFirst()) : Array(fields)
            guard let day = Int(f[0]), let month = months.firstIndex(of: String(f[1])).map({ $0 + 1 }),
                let year = Int(f[2]), f[4] == "GMT" || f[4] == "UTC" || f[4] == "+0000"
            else { return nil }
            let time = f[3].split(separator: ":")
            guard time.count == 3, let h = Int(time[0]), let m = Int(time[1]), let s = Int(time[2]) else {
                return nil
            }
            return epoch(year: year, month: month, day: day, hour: h, minute: m, second: s)
        }
        let digits = text.filter { $0.isNumber }
        let bytes = Array(digits.utf8).map { Int($0) - 48 }
        guard bytes.count >= 14, text.contains("T") else { return nil }
        func number(_ from: Int, _ count: Int) -> Int {
            bytes[from..<(from + count)].reduce(0) { $0 * 10 + $1 }
        }
        return epoch(
            year: number(0, 4), month: number(4, 2), day: number(6, 2), hour: number(8, 2),
            minute: number(10, 2),
            second: number(12, 2))
    }

    /// Milliseconds since the epoch of a UTC civil date, or nil when a field is out of range.
    private static func epoch(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int64?
    {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
            (0...59).contains(minute),
            (0...60).contains(second)
        else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return (Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second)) * 1000
    }

    private static func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// Civil date and time (UTC) of a Unix time, by Howard Hinnant's days-from-civil inverse.
    private static func civil(_ seconds: Int64) -> (
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int
    ) {
        let days = Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        let secs = Int(seconds - Int64(days) * 86400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let weekday = (days % 7 + 11) % 7  // 1970-01-01 was a Thursday
        return (year, month, day, secs / 3600, secs % 3600 / 60, secs % 60, weekday)
    }
}
