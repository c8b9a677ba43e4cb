import HTTP

extension RequestContext {
    /// GetObject and HeadObject: conditions (304/412), a single byte range (206, 416),
    /// `response-*` overrides, checksums with `x-amz-checksum-mode: ENABLED`; HEAD answers the
    /// same headers without a body.
    func getObject(key: String, versionID: String?, head: Bool) throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        let md = try loadObject(bucket: bucket, key: key, versionID: versionID)
        var headers = HTTPHeaders()
        switch Conditions(self.headers).evaluate(eTag: md.eTag, lastModified: md.lastModified) {
        case .preconditionFailed:
            throw S3Error.preconditionFailed.with("Condition", "If-Match")
        case .notModified:
            headers.add("ETag", "\"\(md.eTag)\"")
            headers.add("Last-Modified", HTTPDate.rfc1123(milliseconds: md.lastModified))
            if let version = Versioning.responseVersion(of: md, status: bucket.versioning) {
                headers.add(S3Header.versionID, encode(version))
            }
            return HTTPResponse(status: 304, headers: headers)
        case .proceed:
            break
        }
        ObjectHeaders.render(md, query: query, into: &headers)
        if let version = Versioning.responseVersion(of: md, status: bucket.versioning) {
            headers.add(S3Header.versionID, encode(version))
        }
        let (range, partsCount) = try MultipartReads.range(
            md, partNumber: query["partNumber"], header: self.headers["range"])
        if let partsCount { headers.add(S3Header.mpPartsCount, "\(partsCount)") }
        if self.headers[S3Header.checksumMode]?.uppercased() == "ENABLED", range == nil,
            let checksum = md.checksum
        {
            headers.add("x-amz-checksum-" + checksum.algorithm.lowercased(), checksum.value)
            headers.add("x-amz-checksum-type", checksum.type)
        }
        let status: Int
        let length: Int64
        if let range {
            status = 206
            length = range.upperBound - range.lowerBound + 1
            headers.add("Content-Range", "bytes \(range.lowerBound)-\(range.upperBound)/\(md.size)")
        } else {
            status = 200
            length = md.size
        }
        if head {
            headers.add("Content-Length", "\(length)")
            return HTTPResponse(status: status, headers: headers)
        }
        return HTTPResponse(
            status: status, headers: headers, body: .stream(try openData(md, range: range), length: length))
    }
}
