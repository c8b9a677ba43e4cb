import HTTP

/// Multipart uploads of an aws_s3 location are remote multipart uploads: parts stream straight
/// to the remote, completion and abort are forwarded, nothing is staged locally.
extension S3Backend {
    /// CreateMultipartUpload on the remote, with the object's content headers, user metadata
    /// and SSE (they are fixed at creation in S3).
    package func createMultipartUpload(_ object: ObjectIdentity) throws(DataError) -> RemoteUpload {
        let key = remoteKey(object)
        let response = try remote.send(
            "POST", key: key, query: [("uploads", nil)], headers: writeHeaders(object))
        guard response.status == 200 else { throw remote.failure(response, "CreateMultipartUpload") }
        let document = try remote.document(response)
        guard let uploadID = XMLText.first("UploadId", in: document), !uploadID.isEmpty else {
            throw .unavailable("data location \(locationName): CreateMultipartUpload answered no UploadId")
        }
        return RemoteUpload(key: key, uploadID: uploadID)
    }

    /// UploadPart: streams the part to the remote; returns its ETag.
    /// - Throws: `.lengthRequired` without `size`, `.sizeMismatch`, `.source`, `.unavailable`.
    package func uploadPart(_ body: any ByteSource, size: Int64?, upload: RemoteUpload, partNumber: Int)
        throws(DataError) -> String
    {
        guard let size else { throw .lengthRequired }
        let response = try remote.send(
            "PUT", key: upload.key, query: partQuery(upload, partNumber), body: .stream(body, length: size))
        guard response.status == 200 else { throw remote.failure(response, "UploadPart") }
        response.body.discard()
        guard let eTag = RemoteError.unquoted(response.headers["etag"]) else {
            throw .unavailable("data location \(locationName): UploadPart answered no ETag")
        }
        return eTag
    }

    /// UploadPartCopy inside the remote bucket: the part is made from `source` (a version this
    /// location wrote) without the bytes passing through this server.
    package func uploadPartCopy(
        from source: DataLocation, range: ClosedRange<Int64>?, upload: RemoteUpload, partNumber: Int
    ) throws(DataError) -> String {
        var copySource =
            "/" + RemoteKeyNaming.escape(configuration.bucketName) + "/" + RemoteKeyNaming.escape(source.key)
        if let version = source.dataStoreVersionID {
            copySource += "?versionId=" + RemoteKeyNaming.escape(version, keepSlash: false)
        }
        var headers = HTTPHeaders()
        headers.add("x-amz-copy-source", copySource)
        if let range {
            headers.add("x-amz-copy-source-range", "bytes=\(range.lowerBound)-\(range.upperBound)")
        }
        let response = try remote.send(
            "PUT", key: upload.key, query: partQuery(upload, partNumber), headers: headers)
        guard response.status == 200 else { throw remote.failure(response, "UploadPartCopy") }
        let document = try remote.document(response)
        guard !XMLText.isError(document), let eTag = RemoteError.unquoted(XMLText.first("ETag", in: document))
        else {
            throw .unavailable(
                "data location \(locationName): UploadPartCopy answered "
                    + RemoteError.describe(status: 200, body: document))
        }
        return eTag
    }

    /// CompleteMultipartUpload on the remote: the result is one remote object (one version).
    /// The object's headers were given at creation.
    package func completeMultipartUpload(
        _ upload: RemoteUpload, parts: [RemotePart], size: Int64, object: ObjectIdentity
    ) throws(DataError) -> DataLocation {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts {
            xml += "<Part><PartNumber>\(part.partNumber)</PartNumber><ETag>\"\(part.eTag)\"</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/xml")
        let response = try remote.send(
            "POST", key: upload.key, query: [("uploadId", upload.uploadID)], headers: headers,
            body: .bytes(Array(xml.utf8)))
        guard response.status == 200 else { throw remote.failure(response, "CompleteMultipartUpload") }
        // S3 may fail a completion after it sent 200: the body then is an <Error>.
        let document = try remote.document(response)
        if XMLText.isError(document) {
            throw .unavailable(
                "data location \(locationName): CompleteMultipartUpload answered "
                    + RemoteError.describe(status: 200, body: document))
        }
        return DataLocation(
            location: locationName, key: upload.key, size: size,
            dataStoreVersionID: response.headers["x-amz-version-id"].flatMap { $0.isEmpty ? nil : $0 },
            dataStoreETag: RemoteError.unquoted(XMLText.first("ETag", in: document)))
    }

    /// AbortMultipartUpload on the remote; an upload the remote no longer knows is gone already.
    package func abortMultipartUpload(_ upload: RemoteUpload) throws(DataError) {
        let response = try remote.send("DELETE", key: upload.key, query: [("uploadId", upload.uploadID)])
        guard [200, 204, 404].contains(response.status) else {
            throw remote.failure(response, "AbortMultipartUpload")
        }
        response.body.discard()
    }

    private func partQuery(_ upload: RemoteUpload, _ partNumber: Int) -> [(String, String?)] {
        [("partNumber", "\(partNumber)"), ("uploadId", upload.uploadID)]
    }
}
