import HTTP
import Metadata

extension RequestContext {
    /// CreateBucket: validates the name and the optional LocationConstraint, then records the
    /// bucket. Re-creating one's own bucket is 409 BucketAlreadyOwnedByYou, or 200 when the
    /// bucket's location has `legacyAwsBehavior` (as us-east-1 behaves on AWS).
    func createBucket() throws(S3Error) -> HTTPResponse {
        guard let name = bucketName, BucketName.isValid(name) else {
            throw S3Error.invalidBucketName.with("BucketName", bucketName ?? "")
        }
        try UnsupportedFeatures.refuseBucketCreation(headers)
        let requested = try requestedLocationConstraint()
        let configuration = service.configuration
        let location: String
        if let requested, !requested.isEmpty {
            guard configuration.locations[requested] != nil else {
                throw S3Error.invalidLocationConstraint.with(
                    message: "The specified location-constraint is not valid"
                )
                .with("LocationConstraint", requested)
            }
            location = requested
        } else {
            location = endpointDefaultLocation()
        }
        return try service.locks.withLock(bucket: "", key: name) { () throws(S3Error) -> HTTPResponse in
            if let existing = try service.buckets.load(name) {
                guard existing.ownerCanonicalID == account.canonicalID else {
                    throw S3Error.bucketAlreadyExists.with("BucketName", name)
                }
                if configuration.locations[existing.locationConstraint]?.legacyAwsBehavior == true {
                    return created(name)
                }
                throw S3Error.bucketAlreadyOwnedByYou.with("BucketName", name)
            }
            let bucket = BucketInfo(
                name: name, uid: randomHex(16), ownerCanonicalID: account.canonicalID,
                ownerDisplayName: account.name, creationDate: HTTPDate.nowMilliseconds(),
                locationConstraint: location)
            try service.buckets.save(bucket)
            return created(name)
        }
    }

    private func created(_ name: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Location", "/" + name)
        return .empty(headers: headers)
    }

    /// The default location of the endpoint the request came through (`restEndpoints`), else
    /// `us-east-1`.
    func endpointDefaultLocation() -> String {
        var host = headers["host"]?.lowercased() ?? ""
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") { host = String(host[..<colon]) }
        if let vhost = service.router.virtualHostBucket(host: host) {
            host = String(host.dropFirst(vhost.count + 1))
        }
        return service.configuration.restEndpoints[host] ?? "us-east-1"
    }

    /// The LocationConstraint of a CreateBucketConfiguration body, nil without a body.
    /// - Throws: `S3Error.malformedXML`.
    private func requestedLocationConstraint() throws(S3Error) -> String? {
        let body = try readSmallBody()
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return nil }
        let root = try XMLElement.parse(body)
        guard root.name == "CreateBucketConfiguration" else { throw .malformedXML }
        return root.child("LocationConstraint")?.text
    }
}

/// `count` random bytes as lower-case hex.
package func randomHex(_ count: Int) -> String {
    var generator = SystemRandomNumberGenerator()
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(count * 2)
    for _ in 0..<count {
        let b = UInt8.random(in: 0...255, using: &generator)
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}
