/// How the payload is protected, from `x-amz-content-sha256`.
enum PayloadMode: Equatable {
    /// The lowercase hex SHA-256 of the body, checked while it streams.
    case sha256(String)
    case unsigned
    /// aws-chunked with a signature on every chunk.
    case streamingSigned
    /// aws-chunked with signed chunks and a signed trailer.
    case streamingSignedTrailer
    /// aws-chunked without signatures, with trailing headers.
    case streamingUnsignedTrailer

    /// Parses the header value; nil for anything S3 does not know.
    init?(_ value: String) {
        switch value {
        case "UNSIGNED-PAYLOAD": self = .unsigned
        case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD": self = .streamingSigned
        case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER": self = .streamingSignedTrailer
        case "STREAMING-UNSIGNED-PAYLOAD-TRAILER": self = .streamingUnsignedTrailer
        default:
            guard value.utf8.count == 64,
                value.utf8.allSatisfy({
                    ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46)
                })
            else { return nil }
            self = .sha256(value.lowercased())
        }
    }

    /// True for the aws-chunked modes.
    var isChunked: Bool {
        switch self {
        case .streamingSigned, .streamingSignedTrailer, .streamingUnsignedTrailer: true
        default: false
        }
    }

    /// AWS's message for an unknown value.
    static let invalidValueMessage =
        "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "
        + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "
        + "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER "
        + "or a valid sha256 value."
}
