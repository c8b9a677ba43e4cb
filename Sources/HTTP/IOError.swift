#if canImport(Glibc)
    import Glibc
#endif

/// A failed system call: its errno and its name. A failure inside TLS is `EPROTO` with
/// OpenSSL's explanation in `detail` (see `TLSError`).
package struct IOError: Error, Equatable, CustomStringConvertible {
    package let errno: Int32
    package let function: String
    /// What the errno alone does not say (OpenSSL's error text), nil for plain system calls.
    package let detail: String?

    package init(errno: Int32, function: String, detail: String? = nil) {
        self.errno = errno
        self.function = function
        self.detail = detail
    }

    package var description: String { "\(function): \(detail ?? String(cString: strerror(errno)))" }
}
