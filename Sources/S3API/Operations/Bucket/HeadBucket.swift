import HTTP

extension RequestContext {
    /// HeadBucket: 200 with the bucket's region when it exists and the requester owns it.
    func headBucket() throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        var headers = HTTPHeaders()
        headers.add(S3Header.bucketRegion, bucket.locationConstraint)
        return .empty(headers: headers)
    }
}
