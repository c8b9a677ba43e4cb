import Testing

@testable import HTTP

private let second: UInt64 = 1_000_000_000

private func limits() -> HTTPLimits {
    var limits = HTTPLimits()
    limits.headerTimeout = 2
    limits.idleTimeout = 5
    return limits
}

/// (head started at, idle since, now, expected expiry), times in seconds on a fake clock.
private let expiries: [(UInt64, UInt64, UInt64, ConnectionPolicy.Expiry?)] = [
    (0, 100, 100, nil),
    (0, 100, 105, nil),
    (0, 100, 106, .idleTimeout),
    (103, 100, 104, nil),
    (103, 100, 105, nil),
    (103, 100, 106, .headerTimeout),
    (103, 100, 1000, .headerTimeout),
]

@Test(
    "a waiting connection expires by header timeout while a head is under way, else by idle timeout",
    arguments: expiries)
func expiry(_ headStarted: UInt64, _ idleSince: UInt64, _ now: UInt64, _ expected: ConnectionPolicy.Expiry?) {
    let got = ConnectionPolicy.expiry(
        headStartedAt: headStarted * second, idleSince: idleSince * second, now: now * second,
        limits: limits())
    #expect(got == expected)
}

/// A named change to the default facts and whether the connection closes.
struct FactsCase: Sendable, CustomTestStringConvertible {
    var name: String
    var change: @Sendable (inout ConnectionPolicy.ExchangeFacts) -> Void
    var closes: Bool
    var testDescription: String { name }
}

private let factsCases: [FactsCase] = [
    FactsCase(name: "plain keep-alive", change: { _ in }, closes: false),
    FactsCase(name: "client asked to close", change: { $0.clientKeepsAlive = false }, closes: true),
    FactsCase(name: "server shutting down", change: { $0.shuttingDown = true }, closes: true),
    FactsCase(name: "body read failed", change: { $0.bodyFailed = true }, closes: true),
    FactsCase(name: "100 Continue withheld", change: { $0.continueWithheld = true }, closes: true),
    FactsCase(name: "small unread body is drained", change: { $0.unreadLength = 1000 }, closes: false),
    FactsCase(name: "large unread body", change: { $0.unreadLength = 2_000_000 }, closes: true),
    FactsCase(name: "unfinished chunked body is drained", change: { $0.unreadLength = nil }, closes: false),
    FactsCase(name: "handler said Connection: close", change: { $0.responseSaysClose = true }, closes: true),
    FactsCase(name: "body delimited by close", change: { $0.bodyEndsWithClose = true }, closes: true),
]

@Test("an exchange keeps the connection only when nothing forbids it", arguments: factsCases)
func closesAfterResponse(_ example: FactsCase) {
    var facts = ConnectionPolicy.ExchangeFacts()
    example.change(&facts)
    #expect(ConnectionPolicy.closesAfterResponse(facts, drainLimit: 1024 * 1024) == example.closes)
}
