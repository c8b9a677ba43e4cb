/// GetObject / HeadObject `?partNumber=N`: the bytes of one part of a completed multipart
/// object, answered as a range (206 with Content-Range) plus `x-amz-mp-parts-count`. An
/// object not made by multipart upload has one part, the whole object.
enum MultipartReads {
    /// The range a read asks for, from `partNumber` or else the `Range` header, and the part
    /// count to announce (multipart objects read by part number only).
    /// - Throws: `S3Error.invalidArgument` for a bad part number, `.invalidRequest` for a part
    ///   number with a Range header, `.invalidPartNumber` past the last part, `.invalidRange`.
    static func range(_ md: ObjectMD, partNumber: String?, header: String?) throws(S3Error)
        -> (range: ClosedRange<Int64>?, partsCount: Int?)
    {
        guard let partNumber else { return (try ByteRange.resolve(header, size: md.size), nil) }
        let number = try MultipartCatalog.partNumber(partNumber)
        if header != nil {
            throw S3Error.invalidRequest.with(
                message: "Cannot specify both Range header and partNumber query parameter")
        }
        let sizes = md.partSizes ?? [md.size]
        guard number <= sizes.count else { throw .invalidPartNumber }
        let start = sizes[..<(number - 1)].reduce(0, +)
        let size = sizes[number - 1]
        let range: ClosedRange<Int64>? = size == 0 ? nil : start...(start + size - 1)
        return (range, md.partSizes == nil ? nil : sizes.count)
    }
}
