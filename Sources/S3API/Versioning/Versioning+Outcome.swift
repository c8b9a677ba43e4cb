import Metadata

extension Versioning {
    /// What a committed plan did, as its response tells it.
    package struct Outcome: Sendable {
        /// `x-amz-version-id`: a raw ID, `null`, or nil when the bucket's versioning was never
        /// configured.
        package var responseVersion: ResponseVersion?
        /// `x-amz-delete-marker: true`.
        package var deleteMarker: Bool
        /// The record the last call stored, as stored (a PUT's new object), if any.
        package var stored: ObjectMD?

        package init(_ plan: WritePlan, _ batch: VersionedBatch<ObjectMD>) {
            deleteMarker = plan.deleteMarker
            switch plan.answer {
            case .none: responseVersion = nil
            case .null: responseVersion = .null
            case .id(let id): responseVersion = .id(id)
            case .created: responseVersion = batch.versionIDs.last.flatMap { $0 }.map { .id($0) }
            }
            if case .put = plan.calls.last { stored = batch.written.last }
        }
    }

    /// The version IDs `calls` name, which the metadata layer must have read to plan them.
    package static func versionIDs(named calls: [MetadataCall<ObjectMD>]) -> [String] {
        calls.compactMap { call in
            switch call {
            case .put(_, .versionID(let id)) where !id.isEmpty, .delete(.versionID(let id)): id
            default: nil
            }
        }
    }
}
