#if canImport(Glibc)
    import Glibc
#endif

/// A failed system call: its errno and its name.
package struct IOError: Error, Equatable, CustomStringConvertible {
    package let errno: Int32
    package let function: String

    package init(errno: Int32, function: String) {
        self.errno = errno
        self.function = function
    }

    package var description: String { "\(function): \(String(cString: strerror(errno)))" }
}
