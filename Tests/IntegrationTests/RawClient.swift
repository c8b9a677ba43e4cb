import Digest
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking HTTP/1.1 client over one TCP connection, signing requests with SigV4
/// (`UNSIGNED-PAYLOAD`), or sending raw bytes for hostile-input tests.
final class RawClient {
    let port: Int
    let accessKey: String
    let secret: String
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []

    init(port: Int, accessKey: String, secret: String) {
        self.port = port
        self.accessKey = accessKey
        self.secret = secret
    }

    deinit { if fd >= 0 { close(fd) } }

    /// A parsed response.
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func connect() throws {
        if fd >= 0 { close(fd) }
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc != 0 { throw POSIXError(.ECONNREFUSED) }
        buffer = []
    }

    /// Sends a signed request and reads its response (reconnecting when needed).
    func send(
        _ method: String, _ path: String, query: String = "", headers: [(String, String)] = [],
        body: [UInt8] = [], sign: Bool = true, date: Date = Date()
    ) throws -> Response {
        var all = headers
        all.append(("Host", "127.0.0.1:\(port)"))
        all.append(("Content-Length", "\(body.count)"))
        if sign {
            all += SigV4TestSigner(accessKey: accessKey, secret: secret).sign(
                method: method, path: path, query: query, headers: all, date: date)
        }
        var head = "\(method) \(path)\(query.isEmpty ? "" : "?" + query) HTTP/1.1\r\n"
        for (name, value) in all { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        if fd < 0 { try connect() }
        try write(Array(head.utf8) + body)
        return try readResponse(head: method == "HEAD")
    }

    /// Writes raw bytes.
    func write(_ bytes: [UInt8]) throws {
        if fd < 0 { try connect() }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { throw POSIXError(.EPIPE) }
            offset += n
        }
    }

    /// Reads one response; nil status 0 when the server closed without answering.
    func readResponse(head: Bool = false) throws -> Response {
        while true {
            if let end = find([13, 10, 13, 10]) {
                let text = String(decoding: buffer[..<end], as: UTF8.self)
                var lines = text.components(separatedBy: "\r\n")
                let status = Int(lines.removeFirst().split(separator: " ")[1]) ?? 0
                var headers: [String: String] = [:]
                for line in lines {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                        .trimmingCharacters(in: .whitespaces)
                }
                buffer.removeFirst(end + 4)
                let length =
                    head || status == 304 || status == 204 ? 0 : Int(headers["content-length"] ?? "0") ?? 0
                while buffer.count < length { try fill() }
                let body = Array(buffer[..<length])
                buffer.removeFirst(length)
                return Response(status: status, headers: headers, body: body)
            }
            try fill()
        }
    }

    /// Whether the server closed the connection (reads EOF within the timeout).
    func isClosedByServer() -> Bool {
        do {
            try fill()
            return false
        } catch {
            return true
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 {
            close(fd)
            fd = -1
            throw POSIXError(.ECONNRESET)
        }
        buffer += chunk[..<n]
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard buffer.count >= needle.count else { return nil }
        for i in 0...(buffer.count - needle.count) where buffer[i..<(i + needle.count)].elementsEqual(needle)
        {
            return i
        }
        return nil
    }
}

/// A minimal SigV4 header signer for tests (UNSIGNED-PAYLOAD, region us-east-1), written from
/// the AWS Signature Version 4 description, independent of the server's own code.
struct SigV4TestSigner {
    let accessKey: String
    let secret: String

    func sign(method: String, path: String, query: String, headers: [(String, String)], date: Date) -> [(
        String, String
    )] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let amzDate = formatter.string(from: date)
        let day = String(amzDate.prefix(8))
        var signed = headers.map { ($0.0.lowercased(), $0.1.trimmingCharacters(in: .whitespaces)) }
        signed.append(("x-amz-content-sha256", "UNSIGNED-PAYLOAD"))
        signed.append(("x-amz-date", amzDate))
        signed.sort { $0.0 < $1.0 }
        let canonicalQuery = query.split(separator: "&").map { part -> String in
            part.contains("=") ? String(part) : part + "="
        }.sorted().joined(separator: "&")
        let canonicalHeaders = signed.map { "\($0.0):\($0.1)\n" }.joined()
        let signedNames = signed.map(\.0).joined(separator: ";")
        let canonical = [method, path, canonicalQuery, canonicalHeaders, signedNames, "UNSIGNED-PAYLOAD"]
            .joined(separator: "\n")
        let scope = "\(day)/us-east-1/s3/aws4_request"
        let stringToSign =
            "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n" + Hex.encode(SHA256.hash(Array(canonical.utf8)))
        var key = HMAC.sha256(key: Array(("AWS4" + secret).utf8), data: Array(day.utf8))
        for part in ["us-east-1", "s3", "aws4_request"] {
            key = HMAC.sha256(key: key, data: Array(part.utf8))
        }
        let signature = Hex.encode(HMAC.sha256(key: key, data: Array(stringToSign.utf8)))
        return [
            ("x-amz-content-sha256", "UNSIGNED-PAYLOAD"), ("x-amz-date", amzDate),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=\(accessKey)/\(scope), SignedHeaders=\(signedNames), Signature=\(signature)"
            ),
        ]
    }
}
