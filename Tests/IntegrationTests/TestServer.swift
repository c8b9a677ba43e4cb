import CloudServer
import Foundation
import Logging
import S3Auth

/// A server started in-process on an ephemeral port with its own temporary data and
/// metadata directories, the two default accounts, and no metrics port.
final class TestServer {
    let instance: Instance
    let port: Int
    let root: String

    static let owner = Account(
        name: "Bart", email: "bart@example.com", arn: "arn:aws:iam::123456789012:root",
        canonicalID: String(repeating: "a", count: 64), shortid: "123456789012")
    static let other = Account(
        name: "Lisa", email: "lisa@example.com", arn: "arn:aws:iam::123456789013:root",
        canonicalID: String(repeating: "b", count: 64), shortid: "123456789013")

    init(backend: String = "file") throws {
        root = NSTemporaryDirectory() + "cloudserver-it-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/meta", withIntermediateDirectories: true)
        let settings = Settings(
            listen: [(host: "127.0.0.1", port: 0)], metricsPort: 0, backend: backend,
            dataPath: root + "/data",
            metadataPath: root + "/meta",
            credentials: [
                (accessKey: "accessKey1", secret: "verySecretKey1", account: Self.owner),
                (accessKey: "accessKey2", secret: "verySecretKey2", account: Self.other),
            ])
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        instance = try Instance(settings: settings, logger: logger)
        try instance.start()
        port = instance.s3Server.boundPorts[0]
    }

    deinit {
        instance.stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A client signing as `accessKey`.
    func client(accessKey: String = "accessKey1", secret: String = "verySecretKey1") -> RawClient {
        RawClient(port: port, accessKey: accessKey, secret: secret)
    }
}
