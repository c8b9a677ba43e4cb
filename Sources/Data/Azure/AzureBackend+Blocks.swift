import Digest
import HTTP

/// Large bodies, and bodies of unknown length, as blocks: each Put Block streams `blockSize`
/// bytes under an id of this write, then Put Block List commits them as the blob. Blocks stay
/// uncommitted, invisible, until then: a write that fails half-way leaves only uncommitted
/// blocks, which the service discards with the next commit of that blob name or after a week.
extension AzureBackend {
    /// Writes `body` block by block and commits the list.
    /// - Throws: `.sizeMismatch` when a declared size is not the body's, `.source`,
    ///   `.unavailable`.
    func putBlocks(_ body: any ByteSource, size: Int64?, blob: String, object: ObjectIdentity)
        throws(DataError) -> DataLocation
    {
        let hashed = MD5Source(body, whole: true)
        let writeID = AzureBlockID.newWriteID()
        var ids: [String] = []
        if let size {
            while hashed.count < size {
                let length = min(Int64(configuration.blockSize), size - hashed.count)
                let id = AzureBlockID.make(writeID: writeID, index: ids.count + 1)
                try putBlock(
                    blob: blob, id: id, body: .stream(LimitedSource(hashed, limit: length), length: length),
                    sent: hashed)
                ids.append(id)
            }
            try expectEnd(of: hashed, size: size)
        } else {
            while true {
                let bytes = try readBlock(hashed)
                if ids.isEmpty && bytes.count < configuration.blockSize {
                    // The whole body fits in one block: one Put Blob of it.
                    return try putBytes(bytes, blob: blob, object: object)
                }
                if bytes.isEmpty { break }
                var headers = HTTPHeaders()
                headers.add("Content-MD5", Base64.encode(MD5.hash(bytes)))
                let id = AzureBlockID.make(writeID: writeID, index: ids.count + 1)
                try putBlock(blob: blob, id: id, body: .bytes(bytes), headers: headers, sent: hashed)
                ids.append(id)
                if bytes.count < configuration.blockSize { break }
            }
        }
        var headers = AzureBlobHeaders.content(of: object)
        headers.add("x-ms-blob-content-md5", Base64.encode(hashed.finish()))
        return try commit(
            blob: blob, ids: ids, size: hashed.count, headers: headers, operation: "Put Block List")
    }

    /// Put Blob of a body already in memory, with its Content-MD5 (the service checks it).
    private func putBytes(_ bytes: [UInt8], blob: String, object: ObjectIdentity) throws(DataError)
        -> DataLocation
    {
        var headers = AzureBlobHeaders.content(of: object)
        headers.add("x-ms-blob-type", "BlockBlob")
        headers.add("Content-MD5", Base64.encode(MD5.hash(bytes)))
        let response = try remote.send("PUT", blob: blob, headers: headers, body: .bytes(bytes))
        guard response.status == 201 else { throw remote.failure(response, "Put Blob") }
        response.body.discard()
        return written(blob, size: Int64(bytes.count), response)
    }

    /// Reads `source` once more after its declared `size`: a longer body, or a failure at its
    /// end (a trailing checksum), stops the write before anything is committed.
    private func expectEnd(of source: MD5Source, size: Int64) throws(DataError) {
        var extra: UInt8 = 0
        let more: Int
        do {
            more = try withUnsafeMutableBytes(of: &extra) { try source.read(into: $0) }
        } catch {
            throw .source(error)
        }
        if more > 0 { throw .sizeMismatch(expected: size, actual: size + Int64(more)) }
    }

    /// Put Block of one block; the service's Content-MD5 of it must be the one sent. Returns
    /// the block's MD5.
    @discardableResult
    func putBlock(
        blob: String, id: String, body: HTTPClientRequest.Body, headers: HTTPHeaders = HTTPHeaders(),
        sent: MD5Source
    ) throws(DataError) -> [UInt8] {
        let response = try remote.send(
            "PUT", blob: blob, query: [("comp", "block"), ("blockid", id)], headers: headers, body: body)
        guard response.status == 201 else { throw remote.failure(response, "Put Block") }
        response.body.discard()
        let digest = sent.finishBlock()
        try check(response, sent: digest, "Put Block", undo: nil)
        return digest
    }

    /// Put Block List of `ids` (all uncommitted blocks of this write) with the blob's headers.
    func commit(blob: String, ids: [String], size: Int64, headers: HTTPHeaders, operation: String)
        throws(DataError) -> DataLocation
    {
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>"
        for id in ids { xml += "<Latest>\(id)</Latest>" }
        xml += "</BlockList>"
        var headers = headers
        headers.add("Content-Type", "application/xml")
        let response = try remote.send(
            "PUT", blob: blob, query: [("comp", "blocklist")], headers: headers, body: .bytes(Array(xml.utf8))
        )
        guard response.status == 201 else { throw remote.failure(response, operation) }
        response.body.discard()
        return written(blob, size: size, response)
    }

    /// Up to `blockSize` bytes of a body of unknown length (fewer only at its end).
    private func readBlock(_ source: any ByteSource) throws(DataError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: configuration.blockSize)
        var filled = 0
        do {
            while filled < bytes.count {
                let n = try bytes.withUnsafeMutableBytes { raw in
                    try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
                }
                if n == 0 { break }
                filled += n
            }
        } catch {
            throw .source(error)
        }
        bytes.removeSubrange(filled...)
        return bytes
    }
}

/// Block ids: base64 of 24 bytes, the same length for every block of every write, as the
/// service requires of one blob's blocks. The first 16 are the write's (or multipart upload's)
/// id, so blocks of two writes of one name never collide; the last 8 the block's index (or part
/// number), zero-padded.
enum AzureBlockID {
    /// A new random write id: 16 hex digits.
    static func newWriteID() -> String {
        var bytes = [UInt8](repeating: 0, count: 8)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        return Hex.encode(bytes)
    }

    static func make(writeID: String, index: Int) -> String {
        let number = String(index)
        return Base64.encode(Array((writeID + String(repeating: "0", count: 8 - number.count) + number).utf8))
    }
}
