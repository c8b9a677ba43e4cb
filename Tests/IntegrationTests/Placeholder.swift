import Testing

@testable import CloudServer

@Test("the CloudServer module links") func links() {}
