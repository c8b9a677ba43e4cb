import Testing

@testable import CloudServer

@Suite("JSON parser")
struct JSONParserTests {
    private func parse(_ text: String) throws(JSONParser.Failure) -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test("documents of every kind parse to the matching values")
    func values() throws {
        let value = try parse(
            #" {"a": [1, -2.5, 3e2, true, false, null], "b": {"c": "d\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"}, "e": {}} "#
        )
        #expect(
            value
                == .object([
                    "a": .array([.number(1), .number(-2.5), .number(300), .bool(true), .bool(false), .null]),
                    "b": .object(["c": .string("d\"\\/\u{8}\u{c}\n\r\té😀")]),
                    "e": .object([:]),
                ]))
    }

    @Test("a later duplicate key wins, as in JavaScript")
    func duplicateKeys() throws {
        #expect(try parse(#"{"a": 1, "a": 2}"#) == .object(["a": .number(2)]))
    }

    @Test("a UTF-8 byte order mark is skipped")
    func byteOrderMark() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[]".utf8)) == .array([]))
    }

    @Test(
        "malformed documents report the line and column of the mistake",
        arguments: [
            ("", 1, 1, "unexpected end of file"),
            ("{", 1, 2, "expected a quoted key, found end of file"),
            ("[1,]", 1, 4, "unexpected ']'"),
            ("[1 2]", 1, 4, "expected ',' or ']' in an array, found '2'"),
            ("{\"a\" 1}", 1, 6, "expected ':' after a key, found '1'"),
            ("{\n\"a\": tru}", 2, 9, "unexpected '}' (expected true)"),
            ("\"abc", 1, 5, "unterminated string"),
            ("\"a\u{1}\"", 1, 3, "control character byte 0x1 in a string (escape it)"),
            ("\"\\x\"", 1, 3, "invalid escape \\'x' in a string"),
            ("01", 1, 2, "leading zero in a number"),
            ("-", 1, 2, "expected a digit in a number"),
            ("1.", 1, 3, "expected a digit after '.'"),
            ("\"\\ud800\"", 1, 8, "lone high surrogate \\uD800 in a string"),
            ("{} {}", 1, 4, "unexpected '{' after the value"),
            ("\"é\" x", 1, 5, "unexpected 'x' after the value"),
        ])
    func failures(_ text: String, _ line: Int, _ column: Int, _ problem: String) {
        #expect(throws: JSONParser.Failure(line: line, column: column, problem: problem)) { try parse(text) }
    }

    @Test("deep nesting is refused instead of overflowing the stack")
    func depthLimit() {
        let text = String(repeating: "[", count: 10_000)
        #expect(throws: JSONParser.Failure.self) { try parse(text) }
    }

    @Test("typed accessors read location details")
    func accessors() throws {
        let value = try parse(#"{"s": "x", "b": true, "n": 2, "o": {"k": "v"}, "a": [null]}"#)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["b"]?.boolValue == true)
        #expect(value["n"]?.numberValue == 2)
        #expect(value["o"]?["k"]?.stringValue == "v")
        #expect(value["a"]?.arrayValue == [.null])
        #expect(value["s"]?.boolValue == nil)
        #expect(value["missing"] == nil)
    }
}
