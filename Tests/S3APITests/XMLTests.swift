import Testing

@testable import S3API

@Suite("XML") struct XMLTests {
    @Test("a Delete document parses with namespaces, entities and CDATA")
    func parsesDelete() throws {
        let doc = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet>
            <Object><Key>a&amp;b &#x20AC;</Key></Object><!-- c --><Object><Key><![CDATA[<x>]]></Key><VersionId>v</VersionId></Object>
            </Delete>
            """
        let root = try XMLElement.parse(Array(doc.utf8))
        #expect(root.name == "Delete")
        #expect(root.child("Quiet")?.text == "true")
        let keys = root.children("Object").compactMap { $0.child("Key")?.text }
        #expect(keys == ["a&b €", "<x>"])
        #expect(root.children("Object")[1].child("VersionId")?.text == "v")
    }

    @Test(
        "malformed documents are MalformedXML",
        arguments: [
            "", "<a>", "<a></b>", "<a><b></a></b>", "garbage", "<a>&bogus;</a>", "<a></a><b></b>",
            "<!DOCTYPE a><a/>",
            "<a>&#0;</a>",
        ])
    func rejects(doc: String) {
        #expect(throws: S3Error.self) { try XMLElement.parse(Array(doc.utf8)) }
    }

    @Test("nesting past the depth limit is refused")
    func depth() {
        let doc = String(repeating: "<a>", count: 40) + String(repeating: "</a>", count: 40)
        #expect(throws: S3Error.self) { try XMLElement.parse(Array(doc.utf8)) }
    }

    @Test("the writer escapes text")
    func writes() {
        var w = XMLWriter()
        w.element("R", xmlns: true) { x in x.element("K", "a<b>&\"c'") }
        #expect(
            w.text
                == #"<?xml version="1.0" encoding="UTF-8"?><R xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><K>a&lt;b&gt;&amp;&quot;c&apos;</K></R>"#
        )
    }
}
