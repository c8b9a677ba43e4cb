import HTTP
import Testing

@testable import Data

/// SharedKey signing of Blob service requests. The strings to sign follow the layout of
/// Microsoft's "Authorize with Shared Key" page (its canonicalized resource example
/// `/myaccount/mycontainer\ncomp:metadata\nrestype:container` is the first row); the page gives
/// no numeric signature, so the strings and signatures below were computed by the
/// azure-storage-blob SDK 12.31.1 (`SharedKeyCredentialPolicy.on_request`, run here through
/// `Tests/clients/azure_blob_standin.py`'s `signed_string`) for the same requests and key.
@Suite("Azure SharedKey")
struct AzureSharedKeyTests {
    private static let key = AzureBackendConfiguration.accountKey(
        base64: "Y29uZm9ybWFuY2Uta2V5LW9mLXRoaXJ0eS10d28tYnk=")!
    private static let date = "Wed, 02 Dec 2026 09:49:26 GMT"

    struct Vector: Sendable, CustomStringConvertible {
        var account = "myaccount"
        var method: String
        var path: String
        var query: [(String, String)] = []
        var headers: [(String, String)]
        var stringToSign: String
        var signature: String
        var description: String { "\(method) \(path)" }
    }

    static let vectors: [Vector] = [
        Vector(
            method: "GET", path: "/mycontainer", query: [("restype", "container"), ("comp", "metadata")],
            headers: [("x-ms-date", date), ("x-ms-version", "2021-08-06")],
            stringToSign:
                "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:\(date)\nx-ms-version:2021-08-06\n/myaccount/mycontainer\ncomp:metadata\nrestype:container",
            signature: "Z7FUDUd8lT6govFAIgv0NTKnQaYc3Rg3pmyGKDCKfW8="),
        Vector(
            method: "PUT", path: "/mycontainer/dir/a%20b%2Bc~%C3%A9.txt",
            headers: [
                ("x-ms-date", date), ("x-ms-version", "2021-08-06"), ("x-ms-blob-type", "BlockBlob"),
                ("Content-Length", "11"), ("x-ms-blob-content-type", "text/plain"), ("x-ms-meta-a1", "x"),
                ("x-ms-meta-a_b", "y"),
            ],
            stringToSign:
                "PUT\n\n\n11\n\n\n\n\n\n\n\n\nx-ms-blob-content-type:text/plain\nx-ms-blob-type:BlockBlob\nx-ms-date:\(date)\nx-ms-meta-a_b:y\nx-ms-meta-a1:x\nx-ms-version:2021-08-06\n/myaccount/mycontainer/dir/a%20b%2Bc~%C3%A9.txt",
            signature: "ciW9Y6MVMSZG1oz3qjEwdrryNtCVeQzRbs830qZvYUE="),
        Vector(
            method: "PUT", path: "/mycontainer/blob",
            query: [("comp", "block"), ("blockid", "MDEyMzQ1Njc4OWFiY2RlZjAwMDAwMDAx")],
            headers: [
                ("x-ms-date", date), ("x-ms-version", "2021-08-06"), ("Content-Length", "1048576"),
                ("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="),
            ],
            stringToSign:
                "PUT\n\n\n1048576\n1B2M2Y8AsgTpgAmY7PhCfg==\n\n\n\n\n\n\n\nx-ms-date:\(date)\nx-ms-version:2021-08-06\n/myaccount/mycontainer/blob\nblockid:MDEyMzQ1Njc4OWFiY2RlZjAwMDAwMDAx\ncomp:block",
            signature: "q7fCkMlYoILwf4g71uTA3KaRfPdQ6d5vM1PXWUk7gFU="),
        Vector(
            method: "PUT", path: "/mycontainer/blob", query: [("comp", "blocklist")],
            headers: [
                ("x-ms-date", date), ("x-ms-version", "2021-08-06"), ("Content-Length", "0"),
                ("Content-Type", "application/xml"), ("x-ms-blob-content-md5", "1B2M2Y8AsgTpgAmY7PhCfg=="),
            ],
            stringToSign:
                "PUT\n\n\n\n\napplication/xml\n\n\n\n\n\n\nx-ms-blob-content-md5:1B2M2Y8AsgTpgAmY7PhCfg==\nx-ms-date:\(date)\nx-ms-version:2021-08-06\n/myaccount/mycontainer/blob\ncomp:blocklist",
            signature: "f3o8T08rGm4rTHTpXDOSYHMY1wB70pGHeEVfs7BSEZ8="),
        // An emulator's path-style endpoint: the account appears twice in the resource.
        Vector(
            account: "devstoreaccount1", method: "GET", path: "/devstoreaccount1/mycontainer/blob",
            query: [("versionid", "2026-12-02T09:49:26.1234567Z")],
            headers: [
                ("x-ms-date", date), ("x-ms-version", "2021-08-06"), ("x-ms-range", "bytes=0-99"),
                ("If-Match", "\"0x8D4BCC2E4835CD0\""),
            ],
            stringToSign:
                "GET\n\n\n\n\n\n\n\n\"0x8D4BCC2E4835CD0\"\n\n\n\nx-ms-date:\(date)\nx-ms-range:bytes=0-99\nx-ms-version:2021-08-06\n/devstoreaccount1/devstoreaccount1/mycontainer/blob\nversionid:2026-12-02T09:49:26.1234567Z",
            signature: "Tz4QrAAD81qKLQUIlGVmF/8ywfiq/LwfnNcFUQ3iJW8="),
    ]

    @Test("the string to sign and the signature are the SDK's", arguments: vectors)
    func vector(_ vector: Vector) {
        let signer = SharedKeySigner(accountName: vector.account, key: Self.key)
        let headers = HTTPHeaders(vector.headers)
        let text = signer.stringToSign(
            method: vector.method, path: vector.path, query: vector.query, headers: headers)
        #expect(text == vector.stringToSign)
        #expect(signer.signature(of: text) == vector.signature)
        let signed = signer.sign(
            method: vector.method, path: vector.path, query: vector.query, headers: headers)
        #expect(signed["authorization"] == "SharedKey \(vector.account):\(vector.signature)")
    }

    @Test(
        "x-ms- headers sort as the service collates them, not bytewise",
        arguments: [
            ("x-ms-meta-a_b", "x-ms-meta-a1"), ("x-ms-meta-ab", "x-ms-meta-a-c"),
            ("x-ms-blob-type", "x-ms-date"),
            ("x-ms-meta-a", "x-ms-meta-ab"), ("x-ms-meta-Ab", "x-ms-meta-ac"),
            ("x-ms-meta-ab", "x-ms-meta-a-b"),
        ])
    func order(first: String, second: String) {
        #expect(AzureHeaderOrder.precedes(first, second))
        #expect(!AzureHeaderOrder.precedes(second, first))
    }

    @Test("block ids have one length for every write and part number, and differ between writes")
    func blockIDs() {
        let a = AzureBlockID.make(writeID: "0123456789abcdef", index: 1)
        let b = AzureBlockID.make(writeID: "0123456789abcdef", index: 10_000)
        let c = AzureBlockID.make(writeID: AzureBlockID.newWriteID(), index: 1)
        #expect(a == "MDEyMzQ1Njc4OWFiY2RlZjAwMDAwMDAx")
        #expect(a.count == b.count && b.count == c.count && a != c)
    }

    @Test(
        "metadata names become C# identifiers; others, and non-ASCII values, are left out",
        arguments: [
            ("x-amz-meta-color", "blue", "x-ms-meta-color"), ("x-amz-meta-my-key", "v", "x-ms-meta-my_key"),
            ("x-amz-meta-1st", "v", nil), ("x-amz-meta-ok", "caf\u{e9}", nil), ("x-amz-meta-a.b", "v", nil),
        ] as [(String, String, String?)])
    func metadata(name: String, value: String, expected: String?) {
        let headers = AzureBlobHeaders.content(
            of: ObjectIdentity(
                bucket: "b", key: "k", headers: HTTPHeaders([(name, value), ("Content-Type", "a/b")])))
        #expect(headers["x-ms-blob-content-type"] == "a/b")
        #expect(headers.count == (expected == nil ? 1 : 2))
        if let expected { #expect(headers[expected] == value) }
    }
}
