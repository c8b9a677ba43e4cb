import Data
import Digest

/// The body of CompleteMultipartUpload: the parts chosen for the object, in order.
///
/// ```xml
/// <CompleteMultipartUpload>
///   <Part><PartNumber>1</PartNumber><ETag>"…"</ETag><ChecksumCRC32>…</ChecksumCRC32></Part>
/// </CompleteMultipartUpload>
/// ```
struct CompleteMultipartRequest: Equatable {
    /// One `<Part>`.
    struct Part: Equatable {
        var partNumber: Int
        /// The ETag without quotes.
        var eTag: String
        /// `ChecksumCRC32`... values, by algorithm.
        var checksums: [ChecksumAlgorithm: String] = [:]
    }

    var parts: [Part]

    /// Largest body accepted: 10,000 parts with checksums fit well below.
    static let maxBodyBytes = 4 << 20

    /// - Throws: `S3Error.malformedXML` for a document that is not a CompleteMultipartUpload
    ///   with at least one part, each with a PartNumber and an ETag; `.invalidArgument` for a
    ///   part number outside 1...10000; `.invalidPartOrder` unless part numbers ascend.
    static func parse(_ bytes: [UInt8]) throws(S3Error) -> CompleteMultipartRequest {
        let root = try XMLElement.parse(bytes, maxDepth: 4, maxElements: 10_000 * 8 + 1)
        guard root.name == "CompleteMultipartUpload" else { throw .malformedXML }
        var parts: [Part] = []
        for element in root.children where element.name == "Part" {
            guard let numberText = element.child("PartNumber")?.text.trimmingSpaces,
                let number = Int(numberText),
                let eTag = element.child("ETag")?.text.trimmingSpaces
            else {
                throw .malformedXML
            }
            guard MultipartCatalog.partNumbers.contains(number) else {
                _ = try MultipartCatalog.partNumber(numberText)
                throw .malformedXML
            }
            var part = Part(partNumber: number, eTag: Self.unquoted(eTag))
            for algorithm in ChecksumAlgorithm.allCases {
                if let value = element.child("Checksum" + algorithm.rawValue)?.text.trimmingSpaces {
                    part.checksums[algorithm] = value
                }
            }
            if let previous = parts.last, previous.partNumber >= number { throw .invalidPartOrder }
            parts.append(part)
        }
        guard !parts.isEmpty else { throw .malformedXML }
        return CompleteMultipartRequest(parts: parts)
    }

    /// An ETag without its surrounding quotes, lower-cased.
    static func unquoted(_ eTag: String) -> String {
        var tag = Substring(eTag)
        if tag.hasPrefix("\"") { tag = tag.dropFirst() }
        if tag.hasSuffix("\"") { tag = tag.dropLast() }
        return tag.lowercased()
    }
}

/// What completing an upload makes of its parts: the object's data pieces (the parts' own data,
/// no byte copied), its ETag and checksum, and the parts left out. Pure.
struct CompletionPlan: Equatable {
    /// The chosen parts' data, with cumulative `start` offsets.
    var locations: [DataLocation] = []
    var partSizes: [Int64] = []
    var size: Int64 = 0
    /// Hex MD5 of the concatenated binary part MD5s, then `-N`.
    var eTag = ""
    var checksum: Checksum?
    /// Parts uploaded but not chosen: their records go, their data is freed after the commit.
    var unused: [PartRecord] = []
    /// The chosen parts, in object order.
    var chosen: [PartRecord] = []

    /// - Parameters:
    ///   - parts: every part of the upload, any order.
    /// - Throws: `S3Error.invalidPart` for a part not uploaded or whose ETag or checksum
    ///   differs; `.entityTooSmall` for a part below `minimumPartSize` that is not the last.
    static func make(
        _ request: CompleteMultipartRequest, parts: [PartRecord], upload: MultipartUpload,
        minimumPartSize: Int64 = MultipartCatalog.minimumPartSize
    ) throws(S3Error) -> CompletionPlan {
        var byNumber: [Int: PartRecord] = [:]
        for part in parts { byNumber[part.partNumber] = part }
        let algorithm = upload.checksumAlgorithm.flatMap { ChecksumAlgorithm(rawValue: $0) }
        var plan = CompletionPlan()
        let md5 = MD5()
        var checksums: [UInt8] = []
        var pieces: [(crc: [UInt8], length: Int64)] = []
        var everyPartHasChecksum = algorithm != nil
        // Every named part must exist with its ETag before sizes are judged (InvalidPart first).
        var chosen: [PartRecord] = []
        for wanted in request.parts {
            let invalid = S3Error.invalidPart.with("UploadId", upload.uploadID)
                .with("PartNumber", "\(wanted.partNumber)").with("ETag", wanted.eTag)
            guard let part = byNumber.removeValue(forKey: wanted.partNumber), part.eTag == wanted.eTag else {
                throw invalid
            }
            // Checksums are compared only for an upload created with an algorithm (S3 keeps
            // none for the others); a composite one is built from every part's, so each part
            // must name its checksum.
            if let algorithm, upload.checksumType != "FULL_OBJECT", wanted.checksums[algorithm] == nil {
                throw S3Error.invalidRequest.with(
                    message:
                        "The upload was created using a \(algorithm.rawValue.lowercased()) checksum. The complete request must include the checksum for each part. It was missing for part \(wanted.partNumber) in the request."
                )
            }
            for (named, value) in wanted.checksums
            where algorithm != nil && (named != algorithm || value != part.checksum) {
                throw invalid
            }
            chosen.append(part)
        }
        for (index, part) in chosen.enumerated() {
            if index < request.parts.count - 1, part.size < minimumPartSize {
                throw S3Error.entityTooSmall.with("ProposedSize", "\(part.size)")
                    .with("MinSizeAllowed", "\(minimumPartSize)").with("PartNumber", "\(part.partNumber)")
                    .with("ETag", part.eTag)
            }
            if var location = part.location {
                location.start = plan.size
                plan.locations.append(location)
            }
            plan.partSizes.append(part.size)
            plan.size += part.size
            md5.update(Hex.decode(part.eTag) ?? [])
            if let value = part.checksum, let bytes = Base64.decode(value) {
                checksums += bytes
                pieces.append((bytes, part.size))
            } else {
                everyPartHasChecksum = false
            }
        }
        plan.eTag = Hex.encode(md5.finalize()) + "-\(request.parts.count)"
        if let algorithm, everyPartHasChecksum {
            if upload.checksumType == "FULL_OBJECT" {
                // The CRC of the whole object, from the parts' CRCs (no byte read again).
                if let combined = MultipartChecksumCombine.combine(algorithm, pieces) {
                    plan.checksum = Checksum(
                        algorithm: algorithm.rawValue, value: Base64.encode(combined), type: "FULL_OBJECT")
                }
            } else {
                let hasher = algorithm.makeHasher()
                hasher.update(checksums)
                plan.checksum = Checksum(
                    algorithm: algorithm.rawValue,
                    value: Base64.encode(hasher.finalize()) + "-\(request.parts.count)", type: "COMPOSITE")
            }
        }
        plan.unused = byNumber.values.sorted { $0.partNumber < $1.partNumber }
        plan.chosen = chosen
        return plan
    }
}
