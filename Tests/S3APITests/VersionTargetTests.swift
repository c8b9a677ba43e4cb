import Metadata
import Testing

@testable import S3API

@Suite("VersionTarget") struct VersionTargetTests {
    @Test(
        "`null` names the null version; each client form of an ID names that ID",
        arguments: [VersionID.Encoding.hex, .base62])
    func accepted(encoding: VersionID.Encoding) throws {
        let raw = VersionIDGenerator(replicationGroupID: "RG001", encoding: encoding).next()
        #expect(try VersionTarget("null") == .null)
        #expect(try VersionTarget(VersionID.encode(raw)) == .id(raw))
    }

    @Test(
        "anything else is 400 InvalidArgument \"Invalid version id specified\"",
        arguments: [
            "NULL", "1", "null ", String(repeating: "0", count: 56), String(repeating: "g", count: 56),
        ])
    func refused(text: String) {
        #expect(refusal(text) == "Invalid version id specified")
    }

    @Test("an empty version ID is 400 InvalidArgument \"Version id cannot be the empty string\", as AWS says")
    func empty() {
        #expect(refusal("") == "Version id cannot be the empty string")
    }

    @Test("the refusal names the parameter it came from")
    func argumentName() {
        do {
            _ = try VersionTarget("bad", argument: "version-id-marker")
            Issue.record("accepted")
        } catch {
            #expect(error.details.first { $0.0 == "ArgumentName" }?.1 == "version-id-marker")
            #expect(error.details.first { $0.0 == "ArgumentValue" }?.1 == "bad")
        }
    }

    /// The message of the 400 InvalidArgument `text` gets, or nil when it is accepted.
    func refusal(_ text: String) -> String? {
        do {
            _ = try VersionTarget(text)
            return nil
        } catch {
            guard error.code == "InvalidArgument", error.status == 400 else { return "\(error)" }
            return error.message
        }
    }
}
