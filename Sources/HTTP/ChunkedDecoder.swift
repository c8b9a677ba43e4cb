/// Failures of a request body that the server, not the handler, answers.
package enum HTTPBodyError: Error, Equatable {
    /// `Transfer-Encoding: chunked` framing is broken (bad size line, missing CRLF).
    case badChunkedFraming(String)
}

/// A decoder of the chunked transfer coding (RFC 9112 section 7.1), as a pure state machine.
///
/// Fed whatever bytes are at hand, it skips framing and points at payload bytes in the input, so
/// the caller copies payload once, straight to its reader. Chunk extensions and trailer fields are
/// read and ignored (with size limits). Bare LF is accepted where CRLF is expected, as in heads.
package struct ChunkedDecoder {
    /// What `next` found.
    package enum Step: Equatable {
        /// Payload at these offsets of the input (within the consumed bytes).
        case data(Range<Int>)
        /// Every input byte was framing; read more.
        case needMore
        /// The last chunk and the trailer section ended; the body is complete.
        case end
        /// Broken framing; the body cannot be read further.
        case invalid(String)
    }

    private enum State: UInt8 {
        case size, sizeSpace, extensions, sizeLF, data, dataCR, dataLF
        case trailerStart, trailerLine, trailerLF, endLF, done
    }

    /// Longest chunk-size line (digits and extensions) accepted.
    package static let maxSizeLine = 4096
    /// Longest trailer section accepted.
    package static let maxTrailerBytes = 16 * 1024

    private var state = State.size
    private var size: Int64 = 0
    private var digits = 0
    private var lineBytes = 0
    private var trailerBytes = 0
    private var remaining: Int64 = 0

    package init() {}

    /// True once the terminating chunk and trailers were read.
    package var isFinished: Bool { state == .done }

    /// Consumes framing from the front of `input` up to the first payload bytes (at most `maxData`
    /// of them) or the end of the body; `consumed` counts every byte used, payload included.
    package mutating func next(_ input: UnsafeRawBufferPointer, maxData: Int) -> (step: Step, consumed: Int) {
        var i = 0
        while i < input.count {
            let c = input[i]
            switch state {
            case .size:
                if let v = hexValue(c) {
                    guard digits < 15 else { return (.invalid("chunk size too large"), i) }
                    size = size * 16 + Int64(v)
                    digits += 1
                    lineBytes += 1
                    i += 1
                    continue
                }
                guard digits > 0 else { return (.invalid("invalid chunk size"), i) }
                switch c {
                case space, tab: state = .sizeSpace
                case 0x3B: state = .extensions
                case cr: state = .sizeLF
                case lf: endSizeLine()
                default: return (.invalid("invalid chunk size"), i)
                }
                i += 1
            case .sizeSpace:
                switch c {
                case space, tab: break
                case 0x3B: state = .extensions
                case cr: state = .sizeLF
                case lf: endSizeLine()
                default: return (.invalid("invalid chunk size"), i)
                }
                i += 1
            case .extensions:
                if c == cr {
                    state = .sizeLF
                } else if c == lf {
                    endSizeLine()
                } else if (c < space && c != tab) || c == 0x7F {
                    return (.invalid("invalid chunk extension"), i)
                }
                lineBytes += 1
                if lineBytes > Self.maxSizeLine { return (.invalid("chunk extension too long"), i) }
                i += 1
            case .sizeLF:
                guard c == lf else { return (.invalid("CR without LF after chunk size"), i) }
                endSizeLine()
                i += 1
            case .data:
                let n = Int(min(Int64(input.count - i), remaining, Int64(maxData)))
                if n == 0 { return (.needMore, i) }
                remaining -= Int64(n)
                if remaining == 0 { state = .dataCR }
                return (.data(i..<i + n), i + n)
            case .dataCR:
                if c == cr {
                    state = .dataLF
                } else if c == lf {
                    state = .size
                } else {
                    return (.invalid("missing CRLF after chunk data"), i)
                }
                i += 1
            case .dataLF:
                guard c == lf else { return (.invalid("missing CRLF after chunk data"), i) }
                state = .size
                i += 1
            case .trailerStart:
                if c == cr {
                    state = .endLF
                } else if c == lf {
                    state = .done
                    return (.end, i + 1)
                } else {
                    state = .trailerLine
                    continue
                }
                i += 1
            case .trailerLine:
                if c == cr {
                    state = .trailerLF
                } else if c == lf {
                    state = .trailerStart
                } else if (c < space && c != tab) || c == 0x7F {
                    return (.invalid("invalid trailer field"), i)
                }
                trailerBytes += 1
                if trailerBytes > Self.maxTrailerBytes { return (.invalid("trailer section too large"), i) }
                i += 1
            case .trailerLF:
                guard c == lf else { return (.invalid("CR without LF in trailer"), i) }
                state = .trailerStart
                i += 1
            case .endLF:
                guard c == lf else { return (.invalid("CR without LF at end of chunked body"), i) }
                state = .done
                return (.end, i + 1)
            case .done:
                return (.end, i)
            }
        }
        return (state == .done ? .end : .needMore, i)
    }

    private mutating func endSizeLine() {
        state = size == 0 ? .trailerStart : .data
        remaining = size
        size = 0
        digits = 0
        lineBytes = 0
    }

    private func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}
