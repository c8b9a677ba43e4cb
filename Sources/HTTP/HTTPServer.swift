import Logging

/// Our HTTP/1.1 server on POSIX sockets: epoll threads accept connections, read request heads
/// and hold idle keep-alive connections; a bounded worker pool runs the handler with blocking
/// I/O; the connection then returns to the event loop.
package final class HTTPServer: Sendable {
    package init(configuration: HTTPServerConfiguration, handler: any HTTPHandler, logger: Logger) {
        fatalError("not implemented yet")
    }

    /// Binds every listen address and starts the threads. Throws `IOError` (bind, listen).
    package func start() throws {}

    /// The ports actually bound, in `listen` order (ephemeral ports resolved).
    package var boundPorts: [Int] { [] }

    /// Open client connections right now.
    package var openConnections: Int { 0 }

    /// Stops accepting, lets in-flight requests finish for up to `limits.shutdownGrace` seconds,
    /// closes every connection and joins the threads.
    package func shutdown() {}
}
