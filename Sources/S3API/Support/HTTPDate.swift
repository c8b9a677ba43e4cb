#if canImport(Glibc)
    import Glibc
#endif

/// Dates as S3 writes them: RFC 1123 in headers (`Last-Modified`, `Date`), ISO 8601 with
/// milliseconds in XML (`LastModified`, `CreationDate`). Formatted by hand: this runs on every
/// request.
package enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Milliseconds since the epoch, now.
    package static func nowMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// `Tue, 25 Nov 2026 10:00:00 GMT`.
    package static func rfc1123(milliseconds: Int64) -> String {
        let c = civil(milliseconds / 1000)
        return "\(days[c.weekday]), \(pad(c.day)) \(months[c.month - 1]) \(c.year) \(pad(c.hour)):\(pad(c.minute)):\(pad(c.second)) GMT"
    }

    /// `2026-11-25T10:00:00.123Z`.
    package static func iso8601(milliseconds: Int64) -> String {
        let c = civil(milliseconds / 1000)
        let ms = Int(milliseconds % 1000)
        let msText = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return "\(c.year)-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second)).\(msText)Z"
    }

    /// Parses the three date formats HTTP allows (RFC 1123, RFC 850, asctime) and ISO 8601
    /// (`20261125T100000Z`, `2026-11-25T10:00:00Z`); returns milliseconds since the epoch.
    package static func parse(_ text: String) -> Int64? {
        var t = tm()
        for format in ["%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y",
            "%Y%m%dT%H%M%SZ", "%Y-%m-%dT%H:%M:%S"]
        {
            t = tm()
            if let end = strptime(text, format, &t) {
                let rest = String(cString: end)
                if rest.isEmpty || rest == "Z" || rest.hasPrefix(".") {
                    return Int64(timegm(&t)) * 1000
                }
            }
        }
        return nil
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
