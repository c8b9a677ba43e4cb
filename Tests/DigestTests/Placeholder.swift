import Testing

@testable import Digest

@Test("the Digest module links") func links() {}
