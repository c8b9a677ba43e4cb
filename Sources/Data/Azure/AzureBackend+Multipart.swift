import Digest
import HTTP

/// Multipart uploads of an azure location are blocks of the final blob: each part is one Put
/// Block on the destination blob name, under an id made of the upload's id and the part
/// number; completion is one Put Block List of the chosen parts, so no part's bytes are sent
/// twice. Nothing is created on the service before the first part, and an abort has nothing to
/// delete: uncommitted blocks are invisible, and the service discards them with the next
/// commit of that blob name or a week after the last Put Block.
///
/// Limits that follow: a part is one block, so at most 4000 MiB (the service's block limit); a
/// write or another upload committed to the same blob name while an upload runs discards its
/// uncommitted parts, and the completion then fails (`InvalidBlockList`).
extension AzureBackend {
    /// A new upload id. No request creates it; the location's health (cached, probed when
    /// stale) must be good, so that an upload to a service known to be down is refused at once,
    /// as aws_s3 refuses it.
    /// - Throws: `.unavailable` with the health's detail.
    package func createMultipartUpload(_ object: ObjectIdentity) throws(DataError) -> RemoteUpload {
        let health = healthcheck()
        guard health.ok else { throw .unavailable(health.detail) }
        return RemoteUpload(key: blobName(object), uploadID: AzureBlockID.newWriteID())
    }

    /// Put Block of the part; returns the part's MD5 (hex), checked against the service's
    /// Content-MD5 of what it received when it answers one.
    /// - Throws: `.lengthRequired` without `size`, `.sizeMismatch`, `.source`, `.unavailable`.
    package func uploadPart(_ body: any ByteSource, size: Int64?, upload: RemoteUpload, partNumber: Int)
        throws(DataError) -> String
    {
        guard let size else { throw .lengthRequired }
        let hashed = MD5Source(body)
        let digest = try putBlock(
            blob: upload.key, id: AzureBlockID.make(writeID: upload.uploadID, index: partNumber),
            body: .stream(hashed, length: size), sent: hashed)
        return Hex.encode(digest)
    }

    /// Put Block List of the chosen parts' blocks, with the object's content headers and
    /// metadata: the blob is the object.
    package func completeMultipartUpload(
        _ upload: RemoteUpload, parts: [RemotePart], size: Int64, object: ObjectIdentity
    ) throws(DataError) -> DataLocation {
        try commit(
            blob: upload.key,
            ids: parts.map { AzureBlockID.make(writeID: upload.uploadID, index: $0.partNumber) },
            size: size, headers: AzureBlobHeaders.content(of: object), operation: "Put Block List")
    }

    /// Nothing to delete: the upload's blocks were never committed (see above).
    package func abortMultipartUpload(_ upload: RemoteUpload) throws(DataError) {}
}
