import Foundation
import Glibc
import Logging
import Testing

@testable import CloudServer

@Suite("JSON log lines")
struct JSONLogLineTests {
    private func line(_ message: String, _ metadata: Logger.Metadata = [:], level: Logger.Level = .info)
        -> String
    {
        String(
            decoding: JSONLogLine.render(
                seconds: 1_795_600_800, nanoseconds: 123_456_789, level: level, message: message,
                metadata: metadata),
            as: UTF8.self)
    }

    @Test("a line has time, level, message and sorted metadata, and ends with a newline")
    func shape() {
        #expect(
            line("hello", ["req_id": "abc", "bucket": "b"])
                == #"{"time":"2026-11-25T10:00:00.123Z","level":"info","message":"hello","bucket":"b","req_id":"abc"}"#
                + "\n")
    }

    @Test(
        "strings are escaped as JSON requires",
        arguments: [
            ("plain", #""plain""#), ("quote\"", #""quote\"""#), ("back\\slash", #""back\\slash""#),
            ("line\nbreak\r\ttab", #""line\nbreak\r\ttab""#), ("\u{0}\u{1f}\u{7f}", #""\u0000\u001f\u007f""#),
            ("\u{8}\u{c}", #""\b\f""#), ("é😀/", #""é😀/""#),
        ])
    func escaping(_ text: String, _ expected: String) {
        #expect(JSONRendering.quoted(text) == expected)
    }

    @Test("metadata values render as numbers, booleans, strings, arrays and objects")
    func values() {
        let metadata: Logger.Metadata = [
            "a_int": .stringConvertible(42), "b_double": .stringConvertible(1.5),
            "c_bool": .stringConvertible(true), "d_nan": .stringConvertible(Double.nan),
            "e_array": .array(["x", .stringConvertible(-7)]),
            "f_dict": .dictionary(["z": "1", "y": .stringConvertible(2)]),
            "g_other": .stringConvertible(URL(string: "http://h/p")!.absoluteString),
            "h_uint8": .stringConvertible(UInt8(9)),
        ]
        #expect(
            line("m", metadata)
                == #"{"time":"2026-11-25T10:00:00.123Z","level":"info","message":"m","a_int":42,"b_double":1.5,"#
                + #""c_bool":true,"d_nan":"nan","e_array":["x",-7],"f_dict":{"y":2,"z":"1"},"g_other":"http://h/p","#
                + #""h_uint8":9}"# + "\n")
    }

    @Test("metadata keys that clash with the fixed fields get an underscore")
    func reservedKeys() {
        #expect(
            line("m", ["message": "x", "time": "y"])
                == #"{"time":"2026-11-25T10:00:00.123Z","level":"info","message":"m","_message":"x","_time":"y"}"#
                + "\n")
    }

    @Test(
        "timestamps are UTC with milliseconds",
        arguments: [
            (Int64(0), 0, "1970-01-01T00:00:00.000Z"), (951_782_400, 999_999_999, "2000-02-29T00:00:00.999Z"),
            (1_795_600_800, 5_000_000, "2026-11-25T10:00:00.005Z"),
            (4_102_444_799, 0, "2099-12-31T23:59:59.000Z"),
            (-1, 0, "1969-12-31T23:59:59.000Z"), (253_402_300_799, 0, "9999-12-31T23:59:59.000Z"),
        ])
    func timestamps(_ seconds: Int64, _ nanoseconds: Int, _ expected: String) {
        #expect(LogTimestamp.string(seconds: seconds, nanoseconds: nanoseconds) == expected)
    }

    @Test("levels use the configuration's names")
    func levels() {
        #expect(line("m", level: .warning).contains(#""level":"warn""#))
        #expect(line("m", level: .critical).contains(#""level":"fatal""#))
        #expect(LogLevelName.level(named: "trace") == .trace)
        #expect(LogLevelName.level(named: "verbose") == nil)
    }

    @Test("the handler writes whole lines to its file descriptor and filters by level")
    func handlerWritesLines() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let sink = LogSink(fileDescriptor: fds[1])
        var logger = Logger(label: "test") { label in JSONLogHandler(label: label, level: .debug, sink: sink)
        }
        logger[metadataKey: "component"] = "tests"
        logger.trace("dropped")
        logger.debug("kept", metadata: ["n": .stringConvertible(3)])
        logger.error("failed", error: POSIXError(.ENOENT))
        close(fds[1])
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fds[0], &buffer, buffer.count)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(
            lines.first?.hasSuffix(#""level":"debug","message":"kept","component":"tests","n":3}"#) == true)
        #expect(lines.last?.contains(#""level":"error","message":"failed","error":"#) == true)
        for line in lines {
            #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any])
        }
    }
}
