import HTTP

extension RequestContext {
    /// Reads a small request body (XML documents) whole, verified by authentication as it
    /// streams.
    /// - Throws: `S3Error.malformedXML` past `limit` bytes, or the body's own error.
    func readSmallBody(limit: Int = 2 * 1024 * 1024) throws(S3Error) -> [UInt8] {
        do {
            return try auth.body.readAll(limit: limit)
        } catch ByteSourceError.tooLarge {
            throw S3Error.malformedXML
        } catch {
            throw S3Error(error)
        }
    }

    /// Reads a body that must be empty to its end (verifying it); throws if it is not empty.
    func drain(_ source: any ByteSource) throws(S3Error) {
        do {
            _ = try source.readAll(limit: 0)
        } catch ByteSourceError.tooLarge {
            throw S3Error.incompleteBody
        } catch {
            throw S3Error(error)
        }
    }
}
