/// Header names S3 defines, in one place.
package enum S3Header {
    package static let requestID = "x-amz-request-id"
    package static let id2 = "x-amz-id-2"
    package static let versionID = "x-amz-version-id"
    package static let deleteMarker = "x-amz-delete-marker"
    package static let storageClass = "x-amz-storage-class"
    package static let copySource = "x-amz-copy-source"
    package static let copySourceRange = "x-amz-copy-source-range"
    package static let copySourceVersionID = "x-amz-copy-source-version-id"
    package static let metadataDirective = "x-amz-metadata-directive"
    package static let checksumMode = "x-amz-checksum-mode"
    package static let sdkChecksumAlgorithm = "x-amz-sdk-checksum-algorithm"
    package static let checksumAlgorithm = "x-amz-checksum-algorithm"
    package static let trailer = "x-amz-trailer"
    package static let bucketRegion = "x-amz-bucket-region"
    package static let metaPrefix = "x-amz-meta-"
    package static let mpPartsCount = "x-amz-mp-parts-count"
}
