import Digest
import HTTP

/// Freeing many remote versions with one DeleteObjects request each thousand, instead of a
/// DeleteObject each: replaced data of overwrites, collected in the background.
extension S3Backend {
    /// The most keys S3 accepts in one DeleteObjects request.
    static let deleteBatchLimit = 1000

    package var deletesInBatches: Bool { true }

    /// Versions go in DeleteObjects requests; data without a version id (a remote bucket
    /// without versioning) and every piece of a batch the remote did not take whole are
    /// deleted one by one, as `delete` does.
    package func deleteBatch(_ locations: [DataLocation]) -> [DataLocation] {
        var gone: [DataLocation] = []
        let versions = locations.filter { $0.dataStoreVersionID != nil }
        for single in locations where single.dataStoreVersionID == nil {
            if (try? delete(single)) != nil { gone.append(single) }
        }
        var start = 0
        while start < versions.count {
            let chunk = Array(versions[start..<min(start + Self.deleteBatchLimit, versions.count)])
            if deleteObjects(chunk) {
                gone += chunk
            } else {
                gone += chunk.filter { (try? delete($0)) != nil }
            }
            start += chunk.count
        }
        return gone
    }

    /// One quiet DeleteObjects: true when the remote answered 200 with no `<Error>` entry (a
    /// missing version counts as deleted, as S3 does).
    func deleteObjects(_ chunk: [DataLocation]) -> Bool {
        var xml = "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>"
        for location in chunk {
            xml += "<Object><Key>"
            XMLText.escape(location.key, into: &xml)
            xml += "</Key><VersionId>"
            XMLText.escape(location.dataStoreVersionID ?? "", into: &xml)
            xml += "</VersionId></Object>"
        }
        xml += "</Delete>"
        let body = Array(xml.utf8)
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/xml")
        headers.add("Content-MD5", Base64.encode(MD5.hash(body)))
        guard
            let response = try? remote.send(
                "POST", key: nil, query: [("delete", nil)], headers: headers, body: .bytes(body))
        else { return false }
        guard response.status == 200, let document = try? response.body.readAll(limit: 1 << 20) else {
            response.body.discard()
            return false
        }
        return !XMLText.contains("Error", in: document)
    }
}
