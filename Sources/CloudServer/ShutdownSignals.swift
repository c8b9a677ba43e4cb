#if canImport(Glibc)
    import Glibc
#endif

/// SIGTERM and SIGINT, blocked in every thread and awaited by the main thread with
/// `sigwait`, so shutdown runs as ordinary code rather than in a signal handler. SIGPIPE is
/// ignored (a client closing mid-response is an I/O error, not a process kill).
struct ShutdownSignals {
    private var set = sigset_t()

    /// Blocks the signals; must run before any other thread starts so they inherit the mask.
    init() {
        signal(SIGPIPE, SIG_IGN)
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits for SIGTERM or SIGINT; returns the signal's name.
    func wait() -> String {
        var received: Int32 = 0
        var set = self.set
        while sigwait(&set, &received) != 0 {}
        return received == SIGTERM ? "SIGTERM" : "SIGINT"
    }
}
