import Foundation
import Testing

/// The server end to end over real sockets: routing, authentication, buckets, objects, errors.
@Suite("Server", .serialized) struct ServerTests {
    @Test("the healthcheck answers 200 JSON to loopback")
    func healthcheck() throws {
        let server = try TestServer()
        let response = try server.client().send("GET", "/_/healthcheck", sign: false)
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
    }

    @Test("an anonymous request is AccessDenied with S3's error document and headers")
    func anonymous() throws {
        let server = try TestServer()
        let response = try server.client().send("GET", "/", sign: false)
        #expect(response.status == 403)
        #expect(response.text.contains("<Code>AccessDenied</Code>"))
        #expect(response.text.contains("<RequestId>"))
        #expect(response.headers["x-amz-request-id"] != nil)
        #expect(response.headers["x-amz-id-2"] != nil)
        #expect(response.headers["date"] != nil)
        #expect(response.headers["server"] != nil)
    }

    @Test("a bucket and an object go through their whole life on one keep-alive connection")
    func lifecycle() throws {
        let server = try TestServer()
        let client = server.client()
        #expect(try client.send("PUT", "/life").status == 200)
        #expect(try client.send("HEAD", "/life").status == 200)
        let put = try client.send(
            "PUT", "/life/a%20key", headers: [("x-amz-meta-color", "blue")], body: Array("hello".utf8))
        #expect(put.status == 200)
        #expect(put.headers["etag"] == "\"5d41402abc4b2a76b9719d911017c592\"")
        let get = try client.send("GET", "/life/a%20key")
        #expect(get.status == 200)
        #expect(get.text == "hello")
        #expect(get.headers["x-amz-meta-color"] == "blue")
        let range = try client.send("GET", "/life/a%20key", headers: [("Range", "bytes=1-3")])
        #expect(range.status == 206)
        #expect(range.text == "ell")
        #expect(range.headers["content-range"] == "bytes 1-3/5")
        let list = try client.send("GET", "/life", query: "list-type=2")
        #expect(list.text.contains("<Key>a key</Key>"))
        #expect(try client.send("DELETE", "/life").status == 409)
        #expect(try client.send("DELETE", "/life/a%20key").status == 204)
        #expect(try client.send("GET", "/life/a%20key").status == 404)
        #expect(try client.send("DELETE", "/life").status == 204)
        #expect(try client.send("HEAD", "/life").status == 404)
    }

    @Test("a wrong secret is SignatureDoesNotMatch and an unknown key InvalidAccessKeyId")
    func badCredentials() throws {
        let server = try TestServer()
        let wrong = try server.client(secret: "nope").send("GET", "/")
        #expect(wrong.status == 403)
        #expect(wrong.text.contains("<Code>SignatureDoesNotMatch</Code>"))
        let unknown = try server.client(accessKey: "nobody").send("GET", "/")
        #expect(unknown.status == 403)
        #expect(unknown.text.contains("<Code>InvalidAccessKeyId</Code>"))
    }

    @Test("a request dated 20 minutes ago is RequestTimeTooSkewed")
    func skew() throws {
        let server = try TestServer()
        let response = try server.client().send("GET", "/", date: Date().addingTimeInterval(-1200))
        #expect(response.status == 403)
        #expect(response.text.contains("<Code>RequestTimeTooSkewed</Code>"))
    }

    @Test("another account can neither see nor delete a bucket")
    func otherAccount() throws {
        let server = try TestServer()
        #expect(try server.client().send("PUT", "/mine").status == 200)
        let other = server.client(accessKey: "accessKey2", secret: "verySecretKey2")
        #expect(try other.send("DELETE", "/mine").status == 403)
        let create = try other.send("PUT", "/mine")
        #expect(create.status == 409)
        #expect(create.text.contains("<Code>BucketAlreadyExists</Code>"))
        #expect(try server.client().send("HEAD", "/mine").status == 200)
    }

    @Test("a Content-MD5 that does not match the body is BadDigest and stores nothing")
    func badDigest() throws {
        let server = try TestServer()
        let client = server.client()
        #expect(try client.send("PUT", "/digest").status == 200)
        let put = try client.send(
            "PUT", "/digest/k", headers: [("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==")],
            body: Array("not empty".utf8))
        #expect(put.status == 400)
        #expect(put.text.contains("<Code>BadDigest</Code>"))
        #expect(try client.send("HEAD", "/digest/k").status == 404)
    }

    @Test("a malformed request line gets 400 and the server keeps serving")
    func malformed() throws {
        let server = try TestServer()
        let raw = server.client()
        try raw.write(Array("GARBAGE\r\n\r\n".utf8))
        #expect(try raw.readResponse().status == 400)
        #expect(try server.client().send("GET", "/_/healthcheck", sign: false).status == 200)
    }

    @Test("the mem backend serves objects like the file backend")
    func memBackend() throws {
        let server = try TestServer(backend: "mem")
        let client = server.client()
        #expect(try client.send("PUT", "/memb").status == 200)
        #expect(try client.send("PUT", "/memb/k", body: Array(repeating: 7, count: 100_000)).status == 200)
        let get = try client.send("GET", "/memb/k")
        #expect(get.body == Array(repeating: 7, count: 100_000))
    }
}
