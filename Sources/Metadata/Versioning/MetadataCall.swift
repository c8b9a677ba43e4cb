/// The metadata PUT options of docs 7.1.3 ("Metadata Versioning Options").
package enum VersionedPut {
    /// One PUT's options; "only one option is used at a time".
    package enum Options: Sendable, Equatable {
        /// "no options: original PUT operation, will update the master version". The record
        /// keeps the `versionId` it has (none for an object of a never-versioned bucket).
        case none
        /// "`versioning: true` create a new version of the object, then update the master
        /// version with this version": a new version ID, a version key and the master.
        case versioning
        /// "`versionId: <versionId>` create or update a specific version": that version key,
        /// and the master too when the master is not newer. With the empty string, "it will
        /// overwrite the master version only", giving the record a new internal `versionId`
        /// (null versions once versioning is suspended).
        case versionID(String)
    }
}

/// The metadata DELETE options of docs 7.1.3.
package enum VersionedDelete {
    /// One DELETE's options.
    package enum Options: Sendable, Equatable {
        /// "no options: original DELETE operation, will delete the master version".
        case none
        /// "`versionId: <versionId>` delete a specific version"; when it is the latest one,
        /// the master is repaired in the same batch (it becomes the next version, or goes).
        case versionID(String)
    }
}

/// One call of the API layer to the metadata layer on one key, in the manual's terms. The
/// calls of one S3 request become one atomic batch (`VersionedKey.plan`).
package enum MetadataCall<Record: VersionedRecord>: Sendable {
    case put(Record, VersionedPut.Options)
    case delete(VersionedDelete.Options)
}
