import Testing

@testable import S3API

/// Routing examples taken from the shapes of the AWS S3 API reference.
@Suite("S3Router") struct S3RouterTests {
    let router = S3Router(endpoints: ["localhost", "s3.example.com", "example.com"])

    static let cases: [(String, String, String, String, String?, S3Operation)] = [
        ("GET", "localhost:8000", "/", "", nil, .listBuckets),
        ("PUT", "localhost", "/photos", "", "photos", .createBucket),
        ("HEAD", "localhost", "/photos", "", "photos", .headBucket),
        ("DELETE", "localhost", "/photos", "", "photos", .deleteBucket),
        ("GET", "localhost", "/photos", "location", "photos", .getBucketLocation),
        ("GET", "localhost", "/photos", "versioning", "photos", .getBucketVersioning),
        ("GET", "localhost", "/photos", "versions&prefix=a", "photos", .listObjectVersions),
        ("GET", "localhost", "/photos", "list-type=2&prefix=a", "photos", .listObjectsV2),
        ("GET", "localhost", "/photos", "prefix=a&marker=b", "photos", .listObjects),
        ("GET", "localhost", "/photos", "uploads", "photos", .listMultipartUploads),
        ("POST", "localhost", "/photos", "delete", "photos", .deleteObjects),
        ("GET", "localhost", "/photos", "acl", "photos", .notImplemented("acl")),
        ("PUT", "localhost", "/photos", "cors", "photos", .notImplemented("cors")),
        ("PUT", "localhost", "/photos/puppy.jpg", "", "photos", .putObject(key: "puppy.jpg")),
        (
            "GET", "localhost", "/photos/a%20b/c%2Bd+e", "", "photos",
            .getObject(key: "a b/c+d+e", versionID: nil)
        ),
        (
            "GET", "localhost", "/photos//lead", "versionId=xyz", "photos",
            .getObject(key: "/lead", versionID: "xyz")
        ),
        ("HEAD", "localhost", "/photos/k", "", "photos", .headObject(key: "k", versionID: nil)),
        (
            "DELETE", "localhost", "/photos/k", "versionId=null", "photos",
            .deleteObject(key: "k", versionID: "null")
        ),
        ("POST", "localhost", "/photos/k", "uploads", "photos", .createMultipartUpload(key: "k")),
        (
            "PUT", "localhost", "/photos/k", "partNumber=1&uploadId=u", "photos",
            .uploadPart(key: "k", uploadID: "u")
        ),
        (
            "POST", "localhost", "/photos/k", "uploadId=u", "photos",
            .completeMultipartUpload(key: "k", uploadID: "u")
        ),
        (
            "DELETE", "localhost", "/photos/k", "uploadId=u", "photos",
            .abortMultipartUpload(key: "k", uploadID: "u")
        ),
        ("GET", "localhost", "/photos/k", "uploadId=u", "photos", .listParts(key: "k", uploadID: "u")),
        ("GET", "localhost", "/photos/k", "tagging", "photos", .notImplemented("tagging")),
        ("GET", "photos.localhost:8000", "/", "", "photos", .listObjects),
        (
            "GET", "my.photos.s3.example.com", "/cat.jpg", "", "my.photos",
            .getObject(key: "cat.jpg", versionID: nil)
        ),
        ("GET", "127.0.0.1:8000", "/photos/x", "", "photos", .getObject(key: "x", versionID: nil)),
        ("GET", "Photos.LocalHost:8000", "/", "", "photos", .listObjects),
        ("GET", "xlocalhost", "/b/", "", "b", .listObjects),
        ("GET", "[::1]:8000", "/b/", "", "b", .listObjects),
    ]

    @Test("requests route to the operation AWS documents", arguments: cases)
    func routes(
        method: String, host: String, path: String, query: String, bucket: String?, operation: S3Operation
    )
        throws
    {
        let routed = try router.route(
            method: method, host: host, path: path, query: try QueryParameters(raw: query))
        #expect(routed.bucket == bucket)
        #expect(routed.operation == operation)
    }

    @Test("a PUT with x-amz-copy-source is CopyObject or UploadPartCopy")
    func copies() throws {
        let copy = try router.route(
            method: "PUT", host: "localhost", path: "/b/k", query: QueryParameters(raw: ""),
            hasCopySource: true)
        #expect(copy.operation == .copyObject(key: "k"))
        let part = try router.route(
            method: "PUT", host: "localhost", path: "/b/k",
            query: QueryParameters(raw: "partNumber=2&uploadId=u"),
            hasCopySource: true)
        #expect(part.operation == .uploadPartCopy(key: "k", uploadID: "u"))
    }

    @Test("methods S3 does not accept on a resource are MethodNotAllowed")
    func methodNotAllowed() {
        #expect(throws: S3Error.self) {
            try router.route(method: "POST", host: nil, path: "/", query: QueryParameters([]))
        }
        #expect(throws: S3Error.self) {
            try router.route(method: "PATCH", host: nil, path: "/b/k", query: QueryParameters([]))
        }
    }

    @Test("an undecodable path is InvalidURI")
    func invalidURI() {
        #expect(throws: S3Error.self) {
            try router.route(method: "GET", host: nil, path: "/b/%zz", query: QueryParameters([]))
        }
    }
}
