import Testing

@testable import S3API

@Suite("VersionTarget") struct VersionTargetTests {
    static let raw = VersionID.generate(replicationGroupID: "RG001")

    @Test(
        "`null` names the null version; either encoding of an ID names that ID",
        arguments: [VersionID.Encoding.hex, .base62])
    func accepted(configured: VersionID.Encoding) throws {
        #expect(try VersionTarget("null", encoding: configured) == .null)
        for shown in [VersionID.Encoding.hex, .base62] {
            #expect(
                try VersionTarget(VersionID.encode(Self.raw, shown), encoding: configured) == .id(Self.raw))
        }
    }

    @Test(
        "anything else is 400 InvalidArgument \"Invalid version id specified\"",
        arguments: [
            "", "NULL", "1", "null ", String(repeating: "0", count: 56), String(repeating: "g", count: 56),
        ])
    func refused(text: String) {
        #expect {
            _ = try VersionTarget(text, encoding: .hex)
        } throws: { error in
            guard let error = error as? S3Error else { return false }
            return error.code == "InvalidArgument" && error.status == 400
                && error.message == "Invalid version id specified"
        }
    }
}
