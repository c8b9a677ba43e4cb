import HTTP

extension RequestContext {
    /// ListBuckets: the buckets the requester owns, in name order.
    func listBuckets() throws(S3Error) -> HTTPResponse {
        let buckets = try service.buckets.all().filter { $0.ownerCanonicalID == account.canonicalID }
        var xml = XMLWriter()
        xml.element("ListAllMyBucketsResult", xmlns: true) { x in
            x.element("Owner") { o in
                o.element("ID", account.canonicalID)
                o.element("DisplayName", account.name)
            }
            x.element("Buckets") { b in
                for bucket in buckets {
                    b.element("Bucket") { e in
                        e.element("Name", bucket.name)
                        e.element("CreationDate", HTTPDate.iso8601(milliseconds: bucket.creationDate))
                    }
                }
            }
        }
        return .xml(xml)
    }
}
