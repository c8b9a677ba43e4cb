import Data
import HTTP

extension RequestContext {
    /// The bytes of `md` within `range` (inclusive; nil = all): one backend stream for a
    /// single piece (a file region the server can `sendfile`), a concatenation otherwise.
    func openData(_ md: ObjectMD, range: ClosedRange<Int64>?) throws(S3Error) -> any ByteSource {
        let wanted = range ?? 0...(max(md.size, 1) - 1)
        var pieces: [(DataLocation, ClosedRange<Int64>)] = []
        for location in md.locations where location.size > 0 {
            let pieceStart = location.start
            let pieceEnd = location.start + location.size - 1
            guard pieceEnd >= wanted.lowerBound, pieceStart <= wanted.upperBound else { continue }
            let from = max(wanted.lowerBound, pieceStart) - pieceStart
            let to = min(wanted.upperBound, pieceEnd) - pieceStart
            pieces.append((location, from...to))
        }
        if md.size == 0 || pieces.isEmpty { return BufferSource([]) }
        if pieces.count == 1 { return try openPiece(pieces[0].0, pieces[0].1) }
        return ConcatenatedSource(
            pieces.map { piece in { () throws -> any ByteSource in try self.openPiece(piece.0, piece.1) } })
    }

    private func openPiece(_ location: DataLocation, _ range: ClosedRange<Int64>) throws(S3Error)
        -> any ByteSource
    {
        guard service.gateway.backend(for: location.location) != nil else {
            throw S3Error.internalError.with(message: "Unknown data location \(location.location)")
        }
        do {
            let whole = range.lowerBound == 0 && range.upperBound == location.size - 1
            return try service.gateway.get(location, range: whole ? nil : range)
        } catch {
            throw S3Error(error)
        }
    }
}

/// Reads several sources one after the other, opening each only when it is reached.
final class ConcatenatedSource: ByteSource {
    private var openers: [() throws -> any ByteSource]
    private var current: (any ByteSource)?

    init(_ openers: [() throws -> any ByteSource]) {
        self.openers = openers.reversed()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            if current == nil {
                guard let open = openers.popLast() else { return 0 }
                current = try open()
            }
            let n = try current!.read(into: buffer)
            if n > 0 { return n }
            current = nil
        }
    }
}
