import HTTP

extension RequestContext {
    /// GetBucketLocation: the bucket's location; empty for us-east-1, as AWS answers.
    func getBucketLocation() throws(S3Error) -> HTTPResponse {
        let bucket = try ownedBucket()
        var xml = XMLWriter()
        let value = bucket.locationConstraint == "us-east-1" ? "" : bucket.locationConstraint
        xml.element("LocationConstraint", xmlns: true) { x in
            x.text(value)
        }
        return .xml(xml)
    }
}
