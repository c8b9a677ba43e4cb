import Metadata

/// What the API layer needs to know of the server's configuration.
package struct S3Configuration: Sendable {
    /// One location of `locationConfig.json`, as the API layer sees it.
    package struct Location: Sendable {
        package var type: String
        /// The original's `legacyAwsBehavior`: re-creating one's own bucket answers 200.
        package var legacyAwsBehavior: Bool
        package init(type: String, legacyAwsBehavior: Bool) {
            self.type = type
            self.legacyAwsBehavior = legacyAwsBehavior
        }
    }

    package var locations: [String: Location]
    /// Host → default location (`restEndpoints`).
    package var restEndpoints: [String: String]
    package var websiteEndpoints: [String]
    /// S3DATA=multiple: objects go to the location their header or bucket names; otherwise every
    /// object goes to `defaultDataLocation`.
    package var multipleBackends: Bool
    /// The data location used when placement is off (the S3BACKEND backend).
    package var defaultDataLocation: String
    /// 7 characters, part of version IDs.
    package var replicationGroupID: String
    /// Whether a peer address may read `/_/healthcheck`.
    package var healthCheckAllowed: @Sendable (String) -> Bool
    /// The form of new version IDs (S3_VERSION_ID_ENCODING_TYPE): hex, or base62 (IDs without
    /// an info field, shown as 32 characters).
    package var versionIDEncoding: VersionID.Encoding = .hex
    /// The largest single PUT. Default: 5 GiB.
    package var maxObjectSize: Int64 = 5 * 1024 * 1024 * 1024

    package init(
        locations: [String: Location], restEndpoints: [String: String], websiteEndpoints: [String] = [],
        multipleBackends: Bool = false, defaultDataLocation: String, replicationGroupID: String = "RG001  ",
        healthCheckAllowed: @escaping @Sendable (String) -> Bool = { _ in true }
    ) {
        self.locations = locations
        self.restEndpoints = restEndpoints
        self.websiteEndpoints = websiteEndpoints
        self.multipleBackends = multipleBackends
        self.defaultDataLocation = defaultDataLocation
        self.replicationGroupID = replicationGroupID
        self.healthCheckAllowed = healthCheckAllowed
    }
}
