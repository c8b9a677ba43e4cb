import Testing

@testable import S3Auth

@Suite("URI encoding, query parsing and dates") struct EncodingTests {
    @Test(
        "canonical paths keep AWS-encoded paths and re-encode the rest",
        arguments: [
            ("", "/"), ("/", "/"), ("/bucket/a%20key", "/bucket/a%20key"), ("/b/a b", "/b/a%20b"),
            ("/b/test$file.text", "/b/test%24file.text"), ("/b/a%2fb", "/b/a%2Fb"),
            ("/b/%7Euser", "/b/~user"),
            ("/b/caf%C3%A9", "/b/caf%C3%A9"), ("/b/café", "/b/caf%C3%A9"), ("/b//x/./y", "/b//x/./y"),
            ("/b/100%", "/b/100%25"), ("/b/a+b", "/b/a%2Bb"),
        ])
    func canonicalPath(raw: String, canonical: String) {
        #expect(URIEncoding.canonicalPath(raw) == canonical)
    }

    @Test(
        "canonical queries are sorted by name then value and fully encoded",
        arguments: [
            ("", ""), ("acl", "acl="), ("b=2&a=1", "a=1&b=2"), ("a=2&a=1", "a=1&a=2"),
            ("prefix=a/b&delimiter=%2F", "delimiter=%2F&prefix=a%2Fb"), ("x=a+b", "x=a%20b"),
            ("x=%7e", "x=~"), ("Param2=value2&Param1=value1", "Param1=value1&Param2=value2"),
        ])
    func canonicalQuery(raw: String, canonical: String) {
        #expect(CanonicalRequest.canonicalQuery(QueryParameters(raw)) == canonical)
    }

    @Test("header values are trimmed and inner whitespace collapsed")
    func headerValues() {
        #expect(CanonicalRequest.canonicalHeaderValue(["  a   b\t c  "]) == "a b c")
        #expect(CanonicalRequest.canonicalHeaderValue(["x", " y "]) == "x,y")
    }

    @Test(
        "dates parse in both S3 forms",
        arguments: [
            ("20130524T000000Z", 1_369_353_600), ("Fri, 24 May 2013 00:00:00 GMT", 1_369_353_600),
            ("Tue, 27 Mar 2007 19:36:42 +0000", 1_175_024_202),
            ("Tue, 27 Mar 2007 21:36:42 +0200", 1_175_024_202),
            ("20000229T235959Z", 951_868_799),
        ])
    func dates(text: String, epoch: Int64) {
        let date = AmzDate(iso8601Basic: text) ?? AmzDate(rfc1123: text)
        #expect(date?.epochSeconds == epoch)
    }

    @Test(
        "garbled dates do not parse",
        arguments: ["2013-05-24T00:00:00Z", "20131324T000000Z", "Fri, 24 Foo 2013 00:00:00 GMT", ""])
    func badDates(text: String) {
        #expect(AmzDate(iso8601Basic: text) == nil && AmzDate(rfc1123: text) == nil)
    }

    @Test("dates format back to ISO 8601")
    func formatting() {
        #expect(AmzDate(epochSeconds: 1_369_353_600).iso8601Basic == "20130524T000000Z")
        #expect(AmzDate(epochSeconds: 951_868_799).iso8601 == "2000-02-29T23:59:59Z")
    }
}
