import Data
import HTTP
import Metadata

/// What a completion built: the object, the data of parts it left out, the version it names.
private typealias CompletionOutcome = (
    md: ObjectMD, unused: [DataLocation], version: Versioning.ResponseVersion?
)

extension RequestContext {
    /// CompleteMultipartUpload: checks the chosen parts against the uploaded ones, then commits
    /// one batch: the object's record, whose data pieces are the parts' own data (no byte is
    /// copied), with the removal of the upload's records and of the unused parts' references.
    /// A remote upload (aws_s3) is completed on the remote first: the object's data is then the
    /// one remote object it made, and the ETag answered is still S3's MD5 of the part MD5s.
    /// Unused parts' data is freed after the commit. Runs under the upload's lock, so of two
    /// racing Completes exactly one builds the object; the other, like a retry, finds the
    /// upload gone and the object made from it, and answers the same result (S3 does too).
    /// - Throws: `S3Error.malformedXML`, `.invalidPart`, `.invalidPartOrder`,
    ///   `.entityTooSmall`, `.noSuchUpload`, `.invalidArgument` for a `versionId` in the query.
    func completeMultipartUpload(key: String, uploadID: String) throws(S3Error) -> HTTPResponse {
        try Self.refuseVersionID(query)
        let bucket = try ownedBucket()
        let body = try readSmallBody(limit: CompleteMultipartRequest.maxBodyBytes)
        let namespace = BucketCatalog.objectNamespace(bucket)
        let outcome = try MultipartCatalog.locks.withLock(bucket: bucket.uid, key: uploadID) {
            () throws(S3Error) -> CompletionOutcome in
            guard
                let upload = try MultipartCatalog.loadUpload(
                    store, bucket: bucket, key: key, uploadID: uploadID)
            else {
                if let done = try ObjectCatalog.loadMaster(store, bucket: bucket, key: key),
                    done.uploadID == uploadID
                {
                    return (done, [], Versioning.responseVersion(of: done, status: bucket.versioning))
                }
                throw S3Error.noSuchUpload.with("UploadId", uploadID)
            }
            let request = try CompleteMultipartRequest.parse(body)
            let parts = try MultipartCatalog.loadParts(store, bucket: bucket, uploadID: uploadID)
            let plan = try CompletionPlan.make(request, parts: parts, upload: upload)
            if let checksum = plan.checksum, checksum.type == "FULL_OBJECT",
                let sent = headers["x-amz-checksum-" + checksum.algorithm.lowercased()],
                sent != checksum.value
            {
                throw S3Error.badDigest.with(
                    message: "The \(checksum.algorithm) you specified did not match the calculated checksum.")
            }
            if plan.size > service.configuration.maxObjectSize {
                throw S3Error.entityTooLarge.with("ProposedSize", "\(plan.size)")
                    .with("MaxSizeAllowed", "\(service.configuration.maxObjectSize)")
            }
            var md = upload.object
            md.size = plan.size
            md.eTag = plan.eTag
            md.locations =
                try upload.remote.map { remote throws(S3Error) in
                    [
                        try completeRemoteUpload(
                            upload, remote: remote, parts: plan.chosen, size: plan.size, bucket: bucket.name)
                    ]
                } ?? plan.locations
            md.partSizes = plan.partSizes
            md.checksum = plan.checksum
            md.uploadID = uploadID
            md.lastModified = HTTPDate.nowMilliseconds()
            let unusedData = plan.unused.compactMap(\.location)
            var extra: [MetadataOperation] = [
                .delete(namespace: namespace, key: MultipartCatalog.uploadKey(key: key, uploadID: uploadID))
            ]
            extra += parts.map {
                .delete(
                    namespace: namespace,
                    key: MultipartCatalog.partKey(uploadID: uploadID, partNumber: $0.partNumber))
            }
            extra += ObjectCatalog.dropRefs(unusedData)
            // Local parts' data stays the parts' own until the commit; a remote object is new.
            let written = try commitObject(md, bucket: bucket, extra: extra, ownsData: upload.remote != nil)
            return (md, unusedData, written.responseVersion)
        }
        freeData(outcome.unused)
        let md = outcome.md

        var xml = XMLWriter()
        xml.element("CompleteMultipartUploadResult", xmlns: true) { x in
            x.element("Location", objectURL(bucket: bucket.name, key: key))
            x.element("Bucket", bucket.name)
            x.element("Key", key)
            x.element("ETag", "\"\(md.eTag)\"")
            if let checksum = md.checksum {
                x.element("Checksum" + checksum.algorithm, checksum.value)
                x.element("ChecksumType", checksum.type)
            }
        }
        var responseHeaders = HTTPHeaders()
        // A versioned bucket names the new version (`null` when suspended), as PutObject does.
        if let version = outcome.version { responseHeaders.add(S3Header.versionID, encode(version)) }
        return .xml(xml, headers: responseHeaders)
    }

    /// The `Location` of a completed object: path style on the host the client used.
    private func objectURL(bucket: String, key: String) -> String {
        let host = headers["host"] ?? "localhost"
        return
            "http://\(host)/\(PercentEncoding.encode(bucket))/\(PercentEncoding.encode(key, keepSlash: true))"
    }
}
