import Testing

@testable import Data

@Test("the Data module links") func links() {}
