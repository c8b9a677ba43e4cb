import Data
import HTTP
import Metadata
import S3Auth

#if canImport(Glibc)
    import Glibc
#endif

extension S3Error {
    /// Translates any error of a lower room into the S3 error a client sees. Unknown errors are
    /// `InternalError` (the caller logs the original).
    package init(_ error: any Error) {
        switch error {
        case let error as S3Error: self = error
        case let error as AuthError: self = S3Error(auth: error)
        case let error as DataError: self = S3Error(data: error)
        case let error as MetadataError:
            switch error {
            case .closed: self = .serviceUnavailable
            case .corrupt, .io: self = .internalError
            }
        case let error as ByteSourceError:
            self = error == .truncated ? .incompleteBody : .entityTooLarge
        case let error as IOError:
            let timedOut = error.errno == EAGAIN || error.errno == EWOULDBLOCK || error.errno == ETIMEDOUT
            self = timedOut ? .requestTimeout : .incompleteBody
        case let error as HTTPBodyError:
            switch error {
            case .badChunkedFraming(let detail):
                self = S3Error.incompleteBody.with(message: "Bad chunked encoding: \(detail)")
            }
        default: self = .internalError
        }
    }

    private init(auth error: AuthError) {
        switch error {
        case .invalidAccessKeyId: self = .invalidAccessKeyId
        case .signatureDoesNotMatch(let stringToSign, let canonicalRequest):
            self = S3Error.signatureDoesNotMatch.with("StringToSign", stringToSign)
                .with("CanonicalRequest", canonicalRequest)
        case .accessDenied(let message):
            self = message.isEmpty ? .accessDenied : .accessDenied.with(message: message)
        case .authorizationHeaderMalformed(let message):
            self = S3Error.authorizationHeaderMalformed.with(message: message)
        case .authorizationQueryParametersError(let message):
            self = S3Error.authorizationQueryParametersError.with(message: message)
        case .xAmzContentSHA256Mismatch(let client, let computed):
            self = S3Error.xAmzContentSHA256Mismatch.with("ClientComputedContentSHA256", client)
                .with("S3ComputedContentSHA256", computed)
        case .requestTimeTooSkewed(let requestTime, let serverTime):
            self = S3Error.requestTimeTooSkewed.with("RequestTime", requestTime).with(
                "ServerTime", serverTime
            )
            .with("MaxAllowedSkewMilliseconds", "900000")
        case .badDigest: self = .badDigest
        case .invalidDigest: self = .invalidDigest
        case .invalidArgument(let message): self = S3Error.invalidArgument.with(message: message)
        case .invalidChunk(let message): self = S3Error.invalidArgument.with(message: message)
        case .incompleteBody: self = .incompleteBody
        case .invalidRequest(let message): self = S3Error.invalidRequest.with(message: message)
        }
    }

    private init(data error: DataError) {
        switch error {
        case .notFound: self = .internalError.with(message: "The object's data is missing from its location.")
        case .insufficientStorage: self = .insufficientStorage
        case .sizeMismatch: self = .incompleteBody
        case .source(let inner): self = S3Error(inner)
        case .io: self = .internalError
        case .unavailable(let detail):
            self = .serviceUnavailable.with(message: "Service is unable to handle request: \(detail).")
        case .lengthRequired: self = .missingContentLength
        case .notImplemented: self = .notImplemented
        }
    }
}
