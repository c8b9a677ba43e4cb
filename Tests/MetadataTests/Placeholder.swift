import Testing

@testable import Metadata

@Test("the Metadata module links") func links() {}
