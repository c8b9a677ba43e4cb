import Glibc

/// UTC timestamps for log lines, `2026-11-25T10:00:00.123Z`, formatted by hand from
/// `clock_gettime` (no formatter object, no time zone lookup, no allocation besides the line).
enum LogTimestamp {
    /// The current wall-clock time as (seconds, nanoseconds) since the Unix epoch.
    static func now() -> (seconds: Int64, nanoseconds: Int) {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return (Int64(spec.tv_sec), Int(spec.tv_nsec))
    }

    /// Appends the 24-character ISO 8601 form with milliseconds.
    static func append(seconds: Int64, nanoseconds: Int, to out: inout [UInt8]) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        appendDigits(Int(year), width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(day, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, width: 2, to: &out)
        out.append(UInt8(ascii: "."))
        appendDigits(nanoseconds / 1_000_000, width: 3, to: &out)
        out.append(UInt8(ascii: "Z"))
    }

    /// The timestamp as a string, for tests.
    static func string(seconds: Int64, nanoseconds: Int) -> String {
        var out: [UInt8] = []
        append(seconds: seconds, nanoseconds: nanoseconds, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Proleptic Gregorian date of a day count since 1970-01-01 (the "civil from days"
    /// algorithm: eras of 400 years, years starting in March so leap days come last).
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097  // [0, 146096]
        // [0, 399]
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // [0, 365]
        let shiftedMonth = (5 * dayOfYear + 2) / 153  // [0, 11], March = 0
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// Appends `value` in decimal, left-padded with zeros to `width` digits, without allocating.
    private static func appendDigits(_ value: Int, width: Int, to out: inout [UInt8]) {
        let value = max(0, value)
        var divisor = 1
        for _ in 1..<max(1, width) { divisor *= 10 }
        while value / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }
}
