import COpenSSL

#if canImport(Glibc)
    import Glibc
#endif

/// A failed OpenSSL call: the function, OpenSSL's own explanation, and the file it concerned
/// when it was loading one (certificate, key, CA bundle).
package struct TLSError: Error, Equatable, CustomStringConvertible {
    /// The OpenSSL function that failed, e.g. `SSL_CTX_use_PrivateKey_file`.
    package let function: String
    /// The text of OpenSSL's error queue (`ERR_error_string_n`), or of the certificate
    /// verification result, e.g. `certificate verify failed: Hostname mismatch`.
    package let reason: String
    /// The file being loaded, if any.
    package let path: String?

    package init(function: String, reason: String, path: String? = nil) {
        self.function = function
        self.reason = reason
        self.path = path
    }

    package var description: String {
        path.map { "\(function)(\($0)): \(reason)" } ?? "\(function): \(reason)"
    }

    /// The error as the `IOError` that transports throw: `EPROTO`, with OpenSSL's text.
    var ioError: IOError { IOError(errno: EPROTO, function: function, detail: reason) }

    /// Takes every entry of this thread's OpenSSL error queue (oldest first) and joins their
    /// texts; `fallback` when the queue is empty. `ERR_get_error` "returns the earliest error
    /// code from the thread's error queue and removes the entry" (ERR_get_error(3)).
    static func drainQueue(fallback: String = "unknown error") -> String {
        var texts: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            texts.append(text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        }
        return texts.isEmpty ? fallback : texts.joined(separator: "; ")
    }
}

/// Turns the return code of an OpenSSL setup call into a `TLSError`: most of them answer 1 on
/// success and 0 or a negative value on failure, leaving the reason on the error queue.
@discardableResult
func check<T: BinaryInteger>(_ function: String, path: String? = nil, _ call: () -> T) throws(TLSError) -> T {
    ERR_clear_error()
    let result = call()
    guard result > 0 else {
        throw TLSError(function: function, reason: TLSError.drainQueue(), path: path)
    }
    return result
}
