import Testing

@testable import S3Auth

@Test("the S3Auth module links") func links() {}
