import Data
import Foundation
import Testing

@testable import S3API

@Suite("ObjectMD JSON") struct ObjectMDJSONTests {
    /// A record with every field set, including characters JSON must escape.
    static var full: ObjectMD {
        var md = ObjectMD(
            key: "a \"key\"\n€/\u{1}", size: 42, eTag: "abc", lastModified: 1_795_000_000_123, ownerID: "o",
            ownerDisplayName: "Bart")
        md.contentType = "text/plain"
        md.contentEncoding = "gzip"
        md.contentDisposition = "attachment"
        md.contentLanguage = "fr"
        md.cacheControl = "no-cache"
        md.expires = "Thu, 01 Dec 1994 16:00:00 GMT"
        md.userMetadata = [UserMetadata(name: "color", value: "blue\\green")]
        md.storageClass = "STANDARD_IA"
        md.checksum = Checksum(algorithm: "CRC32", value: "AAAAAA==", type: "FULL_OBJECT")
        md.locations = [
            DataLocation(
                location: "us-east-1", key: "ab/cd/x", size: 42, start: 0, dataStoreVersionID: "v",
                dataStoreETag: "e")
        ]
        md.partSizes = [21, 21]
        md.uploadID = "u"
        md.versionID = "98"
        md.isNull = false
        md.nullVersionID = "97"
        md.isDeleteMarker = true
        return md
    }

    @Test("the hand-written codec round-trips every field")
    func roundTrip() throws {
        let md = Self.full
        #expect(try ObjectMD(json: md.jsonBytes()) == md)
        let sparse = ObjectMD(key: "k", size: 0, eTag: "", lastModified: 0, ownerID: "", ownerDisplayName: "")
        #expect(try ObjectMD(json: sparse.jsonBytes()) == sparse)
    }

    @Test("its output is what Codable reads, and it reads what Codable writes")
    func codableCompatible() throws {
        let md = Self.full
        #expect(try JSONDecoder().decode(ObjectMD.self, from: Foundation.Data(md.jsonBytes())) == md)
        #expect(try ObjectMD(json: Array(JSONEncoder().encode(md))) == md)
    }

    @Test("unknown fields are skipped and garbage is refused")
    func unknownAndGarbage() throws {
        let json =
            #"{"future":{"a":[1,2,{"b":null}]},"key":"k","size":1,"eTag":"e","lastModified":2,"ownerID":"o","ownerDisplayName":"d","userMetadata":[],"storageClass":"STANDARD","locations":[]}"#
        #expect(try ObjectMD(json: Array(json.utf8)).key == "k")
        #expect(throws: JSONReader.Failure.self) { try ObjectMD(json: Array("{\"key\":".utf8)) }
    }
}

/// Format 1 of object records, as the server wrote them before the manual's field names.
@Suite("ObjectMD format migration") struct ObjectMDMigrationTests {
    static let formatOne =
        #"{"mdVersion":1,"key":"foo","size":1,"eTag":"e","lastModified":2,"ownerID":"o","ownerDisplayName":"d","userMetadata":[],"storageClass":"STANDARD","locations":[],"versionID":"98203833921416999999RG001  x","isNull":false,"nullVersionID":"98203833921417999999RG001  x","isDeleteMarker":true}"#

    @Test("a format 1 record reads as format 2, its versioning attributes under the manual's names")
    func migrates() throws {
        let md = try ObjectMD(json: Array(Self.formatOne.utf8))
        #expect(md.mdVersion == 2)
        #expect(md.versionID == "98203833921416999999RG001  x")
        #expect(md.nullVersionID == "98203833921417999999RG001  x")
        #expect(md.isDeleteMarker == true)
        let written = String(decoding: md.jsonBytes(), as: UTF8.self)
        #expect(written.contains(#""mdVersion":2"#))
        #expect(written.contains(#""versionId":"98203833921416999999RG001  x""#))
        #expect(written.contains(#""nullVersionId":"98203833921417999999RG001  x""#))
        #expect(!written.contains("versionID"))
        #expect(ObjectMD.storedVersionID(Array(Self.formatOne.utf8)) == md.versionID)
        #expect(ObjectMD.storedVersionID(md.jsonBytes()) == md.versionID)
    }
}
