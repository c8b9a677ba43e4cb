import Foundation
import HTTP
import Testing

@testable import Data

/// The case of a `DataError`, comparable in `#expect`.
enum DataErrorKind: Equatable {
    case notFound, insufficientStorage, sizeMismatch, source, io, unavailable, lengthRequired, notImplemented

    init(_ error: DataError?) {
        switch error {
        case .notFound: self = .notFound
        case .insufficientStorage: self = .insufficientStorage
        case .sizeMismatch: self = .sizeMismatch
        case .source: self = .source
        case .io, nil: self = .io
        case .unavailable: self = .unavailable
        case .lengthRequired: self = .lengthRequired
        case .notImplemented: self = .notImplemented
        }
    }
}

/// Runs `body` and returns the kind of `DataError` it threw (nil if it did not throw one).
func dataErrorKind(_ body: () throws -> Void) -> DataErrorKind? {
    do {
        try body()
        return nil
    } catch let error as DataError {
        return DataErrorKind(error)
    } catch {
        Issue.record("not a DataError: \(error)")
        return nil
    }
}

/// `count` random bytes.
func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { raw in
        var offset = 0
        while offset < count {
            var word = generator.next() as UInt64
            let n = min(8, count - offset)
            withUnsafeBytes(of: &word) {
                raw.baseAddress!.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: n)
            }
            offset += n
        }
    }
    return bytes
}

/// Everything a source yields.
func drain(_ source: any ByteSource) throws -> [UInt8] {
    try source.readAll(limit: Int.max)
}

/// The error a `ThrowingSource` raises.
struct ClientGone: Error, Equatable {}

/// Yields `bytes` in small pieces, then fails like a client that hangs up mid-body.
final class ThrowingSource: ByteSource {
    private let inner: BufferSource
    init(_ bytes: [UInt8]) { inner = BufferSource(bytes) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer.prefix(7000)))
        if n == 0 { throw ClientGone() }
        return n
    }
}

/// A directory under the system temp dir, removed with everything in it at `deinit`.
final class TemporaryDirectory: Sendable {
    let path: String

    init() {
        var template = Array((NSTemporaryDirectory() + "/datatests.XXXXXX").utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Regular files directly inside `relative` (an empty list when it does not exist).
    func files(in relative: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path + "/" + relative)) ?? []
    }
}

extension ObjectIdentity {
    /// An object of its own, so that remote backends never see two tests write one name.
    static func unique() -> ObjectIdentity {
        ObjectIdentity(bucket: "tests", key: "object-\(UUID().uuidString)")
    }
}
