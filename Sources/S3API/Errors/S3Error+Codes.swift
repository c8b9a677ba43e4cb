/// The S3 errors this server answers, sorted by code, with AWS's status and wording.
extension S3Error {
    package static let accessDenied = S3Error("AccessDenied", 403, "Access Denied")
    package static let authorizationHeaderMalformed = S3Error(
        "AuthorizationHeaderMalformed", 400, "The authorization header is malformed.")
    package static let authorizationQueryParametersError = S3Error(
        "AuthorizationQueryParametersError", 400, "Query-string authentication parameters are malformed.")
    package static let badDigest = S3Error(
        "BadDigest", 400, "The Content-MD5 you specified did not match what we received.")
    package static let bucketAlreadyExists = S3Error(
        "BucketAlreadyExists", 409,
        "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again."
    )
    package static let bucketAlreadyOwnedByYou = S3Error(
        "BucketAlreadyOwnedByYou", 409,
        "Your previous request to create the named bucket succeeded and you already own it.")
    package static let bucketNotEmpty = S3Error(
        "BucketNotEmpty", 409, "The bucket you tried to delete is not empty")
    package static let entityTooLarge = S3Error(
        "EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed object size.")
    package static let entityTooSmall = S3Error(
        "EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed object size.")
    package static let illegalVersioningConfiguration = S3Error(
        "IllegalVersioningConfigurationException", 400,
        "The versioning configuration specified in the request is invalid.")
    package static let incompleteBody = S3Error(
        "IncompleteBody", 400,
        "You did not provide the number of bytes specified by the Content-Length HTTP header.")
    package static let insufficientStorage = S3Error(
        "InsufficientStorage", 507, "Insufficient storage space is available to complete the request.")
    package static let internalError = S3Error(
        "InternalError", 500, "We encountered an internal error. Please try again.")
    package static let invalidAccessKeyId = S3Error(
        "InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records.")
    package static let invalidArgument = S3Error("InvalidArgument", 400, "Invalid Argument")
    package static let invalidBucketName = S3Error(
        "InvalidBucketName", 400, "The specified bucket is not valid.")
    package static let invalidDigest = S3Error(
        "InvalidDigest", 400, "The Content-MD5 you specified is not valid.")
    package static let invalidLocationConstraint = S3Error(
        "InvalidLocationConstraint", 400, "The specified location constraint is not valid.")
    package static let invalidPart = S3Error(
        "InvalidPart", 400,
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag."
    )
    package static let invalidPartOrder = S3Error(
        "InvalidPartOrder", 400,
        "The list of parts was not in ascending order. Parts must be ordered by part number.")
    package static let invalidPartNumber = S3Error(
        "InvalidPartNumber", 416, "The requested partnumber is not satisfiable")
    package static let invalidRange = S3Error("InvalidRange", 416, "The requested range is not satisfiable")
    package static let invalidRequest = S3Error("InvalidRequest", 400, "Invalid Request")
    package static let invalidStorageClass = S3Error(
        "InvalidStorageClass", 400, "The storage class you specified is not valid")
    package static let keyTooLongError = S3Error("KeyTooLongError", 400, "Your key is too long")
    package static let malformedXML = S3Error(
        "MalformedXML", 400,
        "The XML you provided was not well-formed or did not validate against our published schema")
    package static let metadataTooLarge = S3Error(
        "MetadataTooLarge", 400, "Your metadata headers exceed the maximum allowed metadata size.")
    package static let methodNotAllowed = S3Error(
        "MethodNotAllowed", 405, "The specified method is not allowed against this resource.")
    package static let missingContentLength = S3Error(
        "MissingContentLength", 411, "You must provide the Content-Length HTTP header.")
    package static let noSuchBucket = S3Error("NoSuchBucket", 404, "The specified bucket does not exist")
    package static let noSuchKey = S3Error("NoSuchKey", 404, "The specified key does not exist.")
    package static let noSuchUpload = S3Error(
        "NoSuchUpload", 404,
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."
    )
    package static let noSuchVersion = S3Error(
        "NoSuchVersion", 404, "The specified version does not exist.")
    package static let notImplemented = S3Error(
        "NotImplemented", 501, "A header you provided implies functionality that is not implemented")
    package static let preconditionFailed = S3Error(
        "PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold")
    package static let requestTimeTooSkewed = S3Error(
        "RequestTimeTooSkewed", 403,
        "The difference between the request time and the current time is too large.")
    package static let requestTimeout = S3Error(
        "RequestTimeout", 400,
        "Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed."
    )
    package static let serviceUnavailable = S3Error(
        "ServiceUnavailable", 503, "Service is unable to handle request.")
    package static let signatureDoesNotMatch = S3Error(
        "SignatureDoesNotMatch", 403,
        "The request signature we calculated does not match the signature you provided. Check your key and signing method."
    )
    package static let xAmzContentSHA256Mismatch = S3Error(
        "XAmzContentSHA256Mismatch", 400,
        "The provided 'x-amz-content-sha256' header does not match what was computed.")
}

extension S3Error {
    package static let invalidURI = S3Error("InvalidURI", 400, "Couldn't parse the specified URI.")
}
