import HTTP
import Locks

/// A backend's health as last probed (or as a failed request found it), probed again once older
/// than `ttl` seconds. While one caller probes, others get the previous answer rather than a
/// second probe.
final class HealthCache: Sendable {
    private struct State {
        var last: BackendHealth?
        var probedAt: UInt64 = 0
        var probing = false
    }

    private let state = Locked(State())
    private let ttl: UInt64
    private let probe: @Sendable () -> BackendHealth

    init(ttl: Double, probe: @escaping @Sendable () -> BackendHealth) {
        self.ttl = UInt64(ttl * 1e9)
        self.probe = probe
    }

    /// Takes `health` as the latest state (a request that could not reach the backend), until
    /// the next probe `ttl` seconds later.
    func record(_ health: BackendHealth) {
        state.withLock { state in
            state.last = health
            state.probedAt = monotonicNanoseconds()
        }
    }

    /// The cached state, or a fresh probe when it is stale.
    func current() -> BackendHealth {
        let cached = state.withLock { state -> BackendHealth? in
            // Read under the lock: `record` may have stamped a later time just before.
            let age = monotonicNanoseconds() &- state.probedAt
            if let last = state.last, state.probing || age < ttl { return last }
            state.probing = true
            return nil
        }
        if let cached { return cached }
        let fresh = probe()
        state.withLock { state in
            state.last = fresh
            state.probedAt = monotonicNanoseconds()
            state.probing = false
        }
        return fresh
    }
}
