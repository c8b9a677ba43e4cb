// swift-tools-version: 6.1
import PackageDescription

/// Targets are rooms; imports point downwards only (see ARCHITECTURE.md):
/// cloudserver → CloudServer → S3API → {S3Auth, Metadata, Data} → HTTP → Digest → C shims.
/// Data also uses S3Auth (the aws_s3 backend signs its requests to the remote with SigV4).
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "cloudserver",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "cloudserver", targets: ["cloudserver"])],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),
        .target(name: "Locks", swiftSettings: strict),
        .target(name: "Digest", dependencies: ["COpenSSL", "CZlib"], swiftSettings: strict),
        .target(
            name: "HTTP",
            dependencies: [
                "Digest", "Locks", "COpenSSL", "CLinux", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(name: "S3Auth", dependencies: ["Digest", "HTTP", "Locks"], swiftSettings: strict),
        .target(
            name: "Metadata",
            dependencies: [
                "CSQLite", "CLinux", "Locks", .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        .target(
            name: "Data",
            dependencies: [
                "HTTP", "S3Auth", "Digest", "Locks", "CLinux",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        .target(
            name: "S3API",
            dependencies: [
                "S3Auth", "Metadata", "Data", "HTTP", "Digest", "Locks",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        .target(
            name: "CloudServer",
            dependencies: [
                "S3API", "S3Auth", "Metadata", "Data", "HTTP", "Locks", "CLinux",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "cloudserver",
            dependencies: [
                "CloudServer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .testTarget(name: "DigestTests", dependencies: ["Digest"], swiftSettings: strict),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "CLinux", "Locks"], swiftSettings: strict),
        .testTarget(name: "S3AuthTests", dependencies: ["S3Auth", "HTTP", "Digest"], swiftSettings: strict),
        .testTarget(
            name: "MetadataTests",
            dependencies: ["Metadata", .product(name: "MetricsTestKit", package: "swift-metrics")],
            swiftSettings: strict),
        .testTarget(
            name: "DataTests",
            dependencies: [
                "Data", "HTTP", "S3Auth", "Digest", .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        .testTarget(name: "S3APITests", dependencies: ["S3API", "Metadata", "HTTP"], swiftSettings: strict),
        .testTarget(name: "CloudServerTests", dependencies: ["CloudServer"], swiftSettings: strict),
        .testTarget(
            name: "IntegrationTests", dependencies: ["CloudServer", "HTTP", "S3Auth", "Digest", "CLinux"],
            swiftSettings: strict),
    ]
)
