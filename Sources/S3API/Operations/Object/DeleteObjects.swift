import Digest
import HTTP

extension RequestContext {
    /// DeleteObjects: up to 1,000 keys from a `<Delete>` document; each key succeeds or fails
    /// on its own. S3 requires Content-MD5 or an `x-amz-checksum-*` header on this request.
    func deleteObjects() throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        let hasChecksum =
            ChecksumAlgorithm.allCases.contains { headers[$0.headerName] != nil }
            || headers[S3Header.sdkChecksumAlgorithm] != nil || headers[S3Header.trailer] != nil
        guard headers["content-md5"] != nil || hasChecksum else {
            throw S3Error.invalidRequest.with(
                message: "Missing required header for this request: Content-MD5")
        }
        let root = try XMLElement.parse(try readSmallBody())
        guard root.name == "Delete" else { throw .malformedXML }
        let objects = root.children("Object")
        guard !objects.isEmpty, objects.count <= 1000 else { throw .malformedXML }
        let quiet = root.child("Quiet")?.text.lowercased() == "true"

        var xml = XMLWriter()
        xml.element("DeleteResult", xmlns: true) { x in
            for object in objects {
                guard let key = object.child("Key")?.text, !key.isEmpty else {
                    x.element("Error") { e in
                        e.element("Key", "")
                        e.element("Code", S3Error.malformedXML.code)
                        e.element("Message", S3Error.malformedXML.message)
                    }
                    continue
                }
                let versionID = object.child("VersionId")?.text
                do throws(S3Error) {
                    try Self.validate(key: key)
                    let plan = try removeObject(bucket: bucket, key: key, versionID: versionID)
                    if !quiet {
                        x.element("Deleted") { d in
                            d.element("Key", key)
                            d.optional("VersionId", versionID)
                            // DeletedObject: a request that creates or deletes a delete marker
                            // names it in DeleteMarkerVersionId; for a delete by version ID that
                            // is the version deleted, the same ID as VersionId.
                            if plan.deleteMarker {
                                d.element("DeleteMarker", "true")
                                if let version = plan.responseVersion {
                                    d.element("DeleteMarkerVersionId", encode(version))
                                }
                            }
                        }
                    }
                } catch {
                    x.element("Error") { e in
                        e.element("Key", key)
                        e.optional("VersionId", versionID)
                        e.element("Code", error.code)
                        e.element("Message", error.message)
                    }
                }
            }
        }
        return .xml(xml)
    }
}
