import Testing

@testable import S3API

@Test("the S3API module links") func links() {}
