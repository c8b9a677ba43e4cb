import Foundation
import HTTP

@testable import S3Auth

/// The example credentials of the AWS documentation.
enum Example {
    static let accessKey = "AKIAIOSFODNN7EXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let account = Account(
        name: "Example", email: "example@example.com", arn: "arn:aws:iam::123456789012:root",
        canonicalID: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
        shortid: "123456789012")

    static let authenticator = Authenticator(
        credentials: StaticCredentialStore([(accessKey, secret, account)]), region: "us-east-1")

    /// 20130524T000000Z, the time of the SigV4 examples.
    static let sigV4Time = Date(timeIntervalSince1970: 1_369_353_600)
}

/// An `HTTPRequest` as the server would build it.
func makeRequest(
    _ method: String, _ target: String, _ headers: [(String, String)], body: [UInt8] = []
) -> HTTPRequest {
    HTTPRequest(
        method: method, target: target, headers: HTTPHeaders(headers), body: BufferSource(body),
        contentLength: Int64(body.count))
}

/// Reads a source to its end in reads of `size` bytes.
func drain(_ source: any ByteSource, readSize: Int = 4096) throws -> [UInt8] {
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: readSize)
    while true {
        let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        if n == 0 { return result }
        result += buffer[0..<n]
    }
}

/// Reads exactly `count` bytes and stops, like a backend that trusts the declared size.
func readExactly(_ source: any ByteSource, _ count: Int) throws -> [UInt8] {
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while result.count < count {
        let want = min(buffer.count, count - result.count)
        let n = try buffer.withUnsafeMutableBytes {
            try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want]))
        }
        if n == 0 { break }
        result += buffer[0..<n]
    }
    return result
}

/// Runs `body` and returns the `AuthError` it threw, nil if none.
func authError(_ body: () throws -> Void) -> AuthError? {
    do {
        try body()
        return nil
    } catch let error as AuthError {
        return error
    } catch {
        return nil
    }
}

extension AuthError {
    /// The case name alone, to compare errors that carry debugging text.
    var kind: String {
        switch self {
        case .signatureDoesNotMatch: "signatureDoesNotMatch"
        case .requestTimeTooSkewed: "requestTimeTooSkewed"
        case .xAmzContentSHA256Mismatch: "xAmzContentSHA256Mismatch"
        default: "\(self)"
        }
    }
}
