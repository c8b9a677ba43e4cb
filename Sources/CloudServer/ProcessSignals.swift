#if canImport(Glibc)
    import Glibc
#endif

/// SIGTERM and SIGINT (and SIGHUP when the server has something to reload), blocked in every
/// thread and awaited by the main thread with `sigwait`, so shutdown and reload run as
/// ordinary code rather than in a signal handler. SIGPIPE is ignored (a client closing
/// mid-response is an I/O error, not a process kill).
struct ProcessSignals {
    /// What a signal asks for.
    enum Request: Equatable, CustomStringConvertible {
        /// SIGTERM or SIGINT (the signal's name).
        case shutdown(String)
        /// SIGHUP: read the certificate files again.
        case reload

        /// The signal's name.
        var description: String {
            switch self {
            case .shutdown(let name): name
            case .reload: "SIGHUP"
            }
        }
    }

    private var set = sigset_t()

    /// Blocks the signals; must run before any other thread starts so they inherit the mask.
    /// Without `reload`, SIGHUP keeps its default action (the process ends).
    init(reload: Bool) {
        signal(SIGPIPE, SIG_IGN)
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        if reload { sigaddset(&set, SIGHUP) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits for one of the signals.
    func wait() -> Request {
        var received: Int32 = 0
        var set = self.set
        while sigwait(&set, &received) != 0 {}
        switch received {
        case SIGHUP: return .reload
        case SIGTERM: return .shutdown("SIGTERM")
        default: return .shutdown("SIGINT")
        }
    }
}
