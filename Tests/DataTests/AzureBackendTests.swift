import Digest
import Foundation
import HTTP
import Testing

@testable import Data

/// What only the azure backend does: uploads as blocks of the final blob, the ETag guard of an
/// account without blob versioning, version ids with it, signatures the service refuses,
/// failures of the service. On the Blob service stand-in, which checks every signature with the
/// azure-storage-blob SDK's signer.
@Suite("AzureBackend on the Blob service stand-in", .enabled(if: AzurePeer.isAvailable, AzurePeer.skipReason))
struct AzureBackendTests {
    private let object = ObjectIdentity(bucket: "azure-\(UUID().uuidString)", key: "dir/obj ect+1")

    @Test("a multipart upload is blocks of the final blob, committed as one list of the chosen parts")
    func multipart() throws {
        let backend = AzurePeer.backend()
        let upload = try backend.createMultipartUpload(object)
        #expect(upload.key == "\(object.bucket)/dir/obj ect+1")
        let first = randomBytes(5 << 20)
        let unused = randomBytes(10)
        let second = randomBytes(1000)
        let e1 = try backend.uploadPart(
            BufferSource(first), size: Int64(first.count), upload: upload, partNumber: 1)
        _ = try backend.uploadPart(BufferSource(unused), size: 10, upload: upload, partNumber: 2)
        let e3 = try backend.uploadPart(BufferSource(second), size: 1000, upload: upload, partNumber: 3)
        #expect(e1 == Hex.md5(first) && e3 == Hex.md5(second))
        #expect(AzurePeer.blobs(prefix: object.bucket).isEmpty)
        var described = object
        described.headers = HTTPHeaders([("Content-Type", "text/csv"), ("x-amz-meta-color", "blue")])
        let location = try backend.completeMultipartUpload(
            upload, parts: [RemotePart(partNumber: 1, eTag: e1), RemotePart(partNumber: 3, eTag: e3)],
            size: Int64(first.count + 1000), object: described)
        #expect(try drain(backend.get(location, range: nil)) == first + second)
        #expect(
            try drain(backend.get(location, range: 5_242_000...5_242_999))
                == Array((first + second)[5_242_000...5_242_999]))
        let blob = try backend.remote.send("HEAD", blob: location.key)
        blob.body.discard()
        #expect(blob.headers["content-type"] == "text/csv" && blob.headers["x-ms-meta-color"] == "blue")
        #expect(AzurePeer.contents().uncommitted[location.key] == nil)
        try backend.delete(location)
        #expect(AzurePeer.blobs(prefix: object.bucket).isEmpty)
    }

    @Test("an aborted upload leaves no blob, and aborting again is not an error")
    func abort() throws {
        let backend = AzurePeer.backend()
        let upload = try backend.createMultipartUpload(object)
        _ = try backend.uploadPart(BufferSource([1, 2, 3]), size: 3, upload: upload, partNumber: 1)
        try backend.abortMultipartUpload(upload)
        try backend.abortMultipartUpload(upload)
        #expect(AzurePeer.blobs(prefix: object.bucket).isEmpty)
    }

    @Test("a large object goes as blocks whose list carries the object's MD5")
    func blocks() throws {
        let backend = AzurePeer.backend()
        let bytes = randomBytes(5 << 20 + 7)
        let location = try backend.put(BufferSource(bytes), size: Int64(bytes.count), object: object)
        let head = try backend.remote.send("HEAD", blob: location.key)
        head.body.discard()
        #expect(head.headers["content-md5"] == Base64.encode(MD5.hash(bytes)))
        #expect(try drain(backend.get(location, range: nil)) == bytes)
    }

    @Test("without blob versioning, an overwrite is neither read nor deleted through the old data")
    func unversioned() throws {
        let backend = AzurePeer.backend()
        let old = try backend.put(BufferSource(Array("old".utf8)), size: 3, object: object)
        #expect(old.dataStoreVersionID == nil && old.dataStoreETag?.hasPrefix("0x") == true)
        let new = try backend.put(BufferSource(Array("newer".utf8)), size: 5, object: object)
        #expect(old.key == new.key)
        #expect(dataErrorKind { _ = try backend.get(old, range: nil) } == .notFound)
        try backend.delete(old)
        #expect(try drain(backend.get(new, range: nil)) == Array("newer".utf8))
        try backend.delete(new)
        #expect(AzurePeer.blobs(prefix: object.bucket).isEmpty)
    }

    @Test("with blob versioning, two writes of one name are two versions; deleting one leaves the other")
    func versions() throws {
        let backend = AzurePeer.backend(versioned: true)
        let old = try backend.put(BufferSource(Array("old".utf8)), size: 3, object: object)
        let new = try backend.put(BufferSource(Array("new".utf8)), size: 3, object: object)
        #expect(
            old.key == new.key && old.dataStoreVersionID != nil
                && old.dataStoreVersionID != new.dataStoreVersionID)
        #expect(try drain(backend.get(old, range: nil)) == Array("old".utf8))
        try backend.delete(old)
        #expect(try drain(backend.get(new, range: nil)) == Array("new".utf8))
        #expect(dataErrorKind { _ = try backend.get(old, range: nil) } == .notFound)
    }

    @Test("a wrong account key is refused with the service's error, and health says so")
    func wrongKey() throws {
        let backend = AzurePeer.backend(key: Array("not the account key".utf8))
        do throws(DataError) {
            _ = try backend.put(BufferSource([1]), size: 1, object: object)
            Issue.record("the put succeeded")
        } catch {
            guard case .unavailable(let why) = error else {
                Issue.record("expected unavailable, got \(error)")
                return
            }
            #expect(why.contains("Put Blob answered 403 AuthenticationFailed"))
        }
        let health = backend.healthcheck()
        #expect(!health.ok && health.external && health.detail.contains("AuthenticationFailed"))
        #expect(AzurePeer.backend().healthcheck().ok)
    }
}

/// A service nobody answers for.
@Suite("AzureBackend without a service")
struct AzureBackendDownTests {
    @Test("every operation fails as unavailable, and health says why")
    func down() {
        let backend = AzurePeer.backend(port: MotoPeer.freePort())
        let object = ObjectIdentity(bucket: "b", key: "k")
        let location = DataLocation(location: "x", key: "b/k", size: 1, dataStoreETag: "0x1")
        #expect(
            dataErrorKind { _ = try backend.put(BufferSource([1]), size: 1, object: object) } == .unavailable)
        #expect(dataErrorKind { _ = try backend.get(location, range: nil) } == .unavailable)
        #expect(dataErrorKind { try backend.delete(location) } == .unavailable)
        #expect(dataErrorKind { _ = try backend.createMultipartUpload(object) } == .unavailable)
        let upload = RemoteUpload(key: "b/k", uploadID: "0123456789abcdef")
        #expect(
            dataErrorKind {
                _ = try backend.uploadPart(BufferSource([1]), size: 1, upload: upload, partNumber: 1)
            }
                == .unavailable)
        let health = backend.healthcheck()
        #expect(!health.ok && health.external)
        #expect(health.detail.contains("Connection refused"))
    }
}
