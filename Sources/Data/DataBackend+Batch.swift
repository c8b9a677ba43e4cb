/// The defaults of batch deletion: one `delete` per piece, and no reason to defer them.
extension DataBackend {
    package var deletesInBatches: Bool { false }

    package func deleteBatch(_ locations: [DataLocation]) -> [DataLocation] {
        locations.filter { (try? delete($0)) != nil }
    }
}
