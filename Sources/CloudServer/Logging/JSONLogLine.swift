import Logging

/// One log line: `{"time":...,"level":...,"message":..., <metadata>}` and a newline.
///
/// Metadata keys come after the fixed fields in sorted order (deterministic lines). A
/// metadata key equal to a fixed field (`time`, `level`, `message`, `error`) is written with a
/// leading underscore so that no key appears twice. Values: `.string` as a JSON string;
/// `.stringConvertible` as a JSON number for integers and finite floating-point numbers, a
/// boolean for `Bool`, else its description as a string; `.array` and `.dictionary` as JSON
/// arrays and objects.
enum JSONLogLine {
    private static let reservedKeys: Set<String> = ["time", "level", "message", "error"]

    /// The bytes of the line, newline included.
    static func render(
        seconds: Int64, nanoseconds: Int, level: Logger.Level, message: String, error: (any Error)? = nil,
        metadata: Logger.Metadata
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + message.utf8.count + metadata.count * 32)
        out.append(contentsOf: #"{"time":""#.utf8)
        LogTimestamp.append(seconds: seconds, nanoseconds: nanoseconds, to: &out)
        out.append(contentsOf: #"","level":""#.utf8)
        out.append(contentsOf: LogLevelName.name(of: level).utf8)
        out.append(contentsOf: #"","message":"#.utf8)
        JSONRendering.appendString(message, to: &out)
        if let error {
            out.append(contentsOf: #","error":"#.utf8)
            JSONRendering.appendString(String(describing: error), to: &out)
        }
        for key in metadata.keys.sorted() {
            out.append(UInt8(ascii: ","))
            JSONRendering.appendString(reservedKeys.contains(key) ? "_" + key : key, to: &out)
            out.append(UInt8(ascii: ":"))
            appendValue(metadata[key]!, to: &out)
        }
        out.append(contentsOf: [UInt8(ascii: "}"), 0x0A])
        return out
    }

    /// Appends one metadata value as JSON.
    static func appendValue(_ value: Logger.MetadataValue, to out: inout [UInt8]) {
        switch value {
        case .string(let text):
            JSONRendering.appendString(text, to: &out)
        case .stringConvertible(let convertible):
            appendConvertible(convertible, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                appendValue(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let members):
            out.append(UInt8(ascii: "{"))
            for (position, key) in members.keys.sorted().enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                JSONRendering.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                appendValue(members[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func appendConvertible(
        _ value: any CustomStringConvertible & Sendable, to out: inout [UInt8]
    ) {
        switch value {
        case let flag as Bool:
            out.append(contentsOf: (flag ? "true" : "false").utf8)
        case is any BinaryInteger:
            out.append(contentsOf: value.description.utf8)
        case let number as Double where number.isFinite:
            out.append(contentsOf: number.description.utf8)
        case let number as Float where number.isFinite:
            out.append(contentsOf: number.description.utf8)
        default:
            JSONRendering.appendString(value.description, to: &out)
        }
    }
}
