import Digest
import HTTP
import S3Auth

/// What S3's headers need of a checksum algorithm.
extension ChecksumAlgorithm {
    /// The header carrying its value: `x-amz-checksum-crc32`...
    package var headerName: String { "x-amz-checksum-" + headerSuffix }

    /// Digest length in bytes, to validate a client's value.
    package var digestLength: Int {
        switch self {
        case .crc32, .crc32c: 4
        case .crc64nvme: 8
        case .sha1: 20
        case .sha256: 32
        }
    }
}

/// What a write request says about its additional checksum: which algorithm and, when sent as a
/// header, the expected value (a trailer's value arrives after the body).
struct ChecksumRequest {
    var algorithm: ChecksumAlgorithm
    /// Base64 value from the header; nil when it comes in a trailer or only the algorithm was named.
    var expected: String?

    /// Reads the checksum headers of a write.
    /// - Throws: `S3Error.invalidRequest` for two checksum headers or an unknown algorithm,
    ///   `.invalidArgument` for a value of the wrong length.
    static func parse(_ headers: HTTPHeaders) throws(S3Error) -> ChecksumRequest? {
        var found: ChecksumRequest?
        for algorithm in ChecksumAlgorithm.allCases {
            guard let value = headers[algorithm.headerName] else { continue }
            if found != nil {
                throw S3Error.invalidRequest.with(
                    message:
                        "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
            }
            guard let bytes = Base64.decode(value), bytes.count == algorithm.digestLength else {
                throw S3Error.invalidRequest.with(
                    message: "Value for \(algorithm.headerName) header is invalid.")
            }
            found = ChecksumRequest(algorithm: algorithm, expected: value)
        }
        if let found { return found }
        if let trailer = headers[S3Header.trailer]?.lowercased().trimmingSpaces {
            guard let algorithm = ChecksumAlgorithm.allCases.first(where: { $0.headerName == trailer }) else {
                throw S3Error.invalidRequest.with(
                    message: "The value specified in the x-amz-trailer header is not supported")
            }
            return ChecksumRequest(algorithm: algorithm, expected: nil)
        }
        let named = headers[S3Header.sdkChecksumAlgorithm] ?? headers[S3Header.checksumAlgorithm]
        if let named {
            guard let algorithm = ChecksumAlgorithm(rawValue: named.uppercased()) else {
                throw S3Error.invalidRequest.with(
                    message:
                        "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]"
                )
            }
            return ChecksumRequest(algorithm: algorithm, expected: nil)
        }
        return nil
    }

    /// Compares the computed value with the header's or the trailer's.
    /// - Throws: `S3Error.badDigest` ("The CRC32 you specified did not match the calculated checksum.").
    func verify(computed: String, trailers: [String: String]) throws(S3Error) {
        let expected = self.expected ?? trailers[algorithm.headerName]
        guard let expected else { return }
        if expected != computed {
            throw S3Error.badDigest.with(
                message: "The \(algorithm.rawValue) you specified did not match the calculated checksum.")
        }
    }
}

extension RequestContext {
    /// What checks a write's additional checksum once its body has ended (`HashingSource`): the
    /// computed value against the header's, or the trailer's, which has arrived by then.
    func checksumVerifier(_ checksum: ChecksumRequest?) -> ((String) throws(S3Error) -> Void)? {
        guard let checksum else { return nil }
        return { [auth] value throws(S3Error) in try checksum.verify(computed: value, trailers: auth.trailers)
        }
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
