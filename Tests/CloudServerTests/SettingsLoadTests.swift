import HTTP
import Testing

@testable import CloudServer

@Suite("Loading settings")
struct SettingsLoadTests {
    @Test("minimal files give the documented defaults")
    func defaults() throws {
        let fixture = ConfigFixture()
        let settings = try fixture.load()
        #expect(settings.listen.count == 1)
        #expect(["::", "0.0.0.0"].contains(settings.listen[0].host))
        #expect(settings.listen[0].port == 8000)
        #expect(settings.metricsPort == 8002)
        #expect(settings.restEndpoints == ["localhost": "us-east-1"])
        #expect(settings.healthCheckAllowFrom == Settings.defaultHealthCheckAllowFrom)
        #expect(settings.logLevel == "info")
        #expect(settings.replicationGroupID == "RG001  ")
        #expect(settings.backend == "file")
        #expect(settings.multipleBackends == false)
        #expect(settings.dataPath == fixture.directory + "/localData")
        #expect(settings.metadataPath == fixture.directory + "/localMetadata")
        #expect(settings.credentials.map(\.accessKey) == ["accessKey1"])
        #expect(settings.credentials[0].account.name == "Bart")
        #expect(settings.certFilePaths == nil)
        #expect(settings.sources.count == 3)
    }

    @Test("every key of config.json is read")
    func configKeys() throws {
        let fixture = ConfigFixture([
            "config.json": """
            {"port": 9000, "metricsPort": 0, "listenOn": ["127.0.0.1:9001", "[::1]:9002"],
             "restEndpoints": {"localhost": "us-east-1", "s3.example.com": "other"},
             "websiteEndpoints": ["s3-website.example.com"],
             "healthChecks": {"allowFrom": ["10.0.0.0/8"]},
             "log": {"logLevel": "debug", "dumpLevel": "error"},
             "replicationGroupId": "RG0042X",
             "certFilePaths": {"key": "tls/key.pem", "cert": "tls/cert.pem"},
             "clusters": 10, "bucketd": {"bootstrap": ["localhost"]}, "vaultd": {}, "kmip": {}}
            """,
            "locationConfig.json": """
            {"us-east-1": {"type": "file", "legacyAwsBehavior": true, "details": {}},
             "other": {"type": "mem", "legacyAwsBehavior": false, "details": {}}}
            """,
            "tls/key.pem": "key", "tls/cert.pem": "cert",
        ])
        let settings = try fixture.load()
        #expect(settings.listen.map(\.host) == ["127.0.0.1", "::1"])
        #expect(settings.listen.map(\.port) == [9001, 9002])
        #expect(settings.metricsPort == 0)
        #expect(settings.restEndpoints == ["localhost": "us-east-1", "s3.example.com": "other"])
        #expect(settings.websiteEndpoints == ["s3-website.example.com"])
        #expect(settings.healthCheckAllowFrom == [CIDR("10.0.0.0/8")!])
        #expect(settings.logLevel == "debug")
        #expect(settings.replicationGroupID == "RG0042X")
        #expect(
            settings.certFilePaths
                == CertFilePaths(
                    key: fixture.directory + "/tls/key.pem", cert: fixture.directory + "/tls/cert.pem",
                    ca: nil))
        #expect(settings.locations["other"] == LocationSpec(type: "mem", legacyAwsBehavior: false))
    }

    @Test("the port of config.json is used when listenOn is empty")
    func portFromFile() throws {
        let fixture = ConfigFixture(["config.json": #"{"port": 0, "listenOn": [], "restEndpoints": {}}"#])
        #expect(try fixture.load().listen.map(\.port) == [0])
    }

    @Test("flags beat the environment, which beats the files")
    func precedence() throws {
        let fixture = ConfigFixture([
            "config.json": #"{"port": 8100, "log": {"logLevel": "debug"}, "restEndpoints": {}}"#
        ])
        let environment = [
            "LOG_LEVEL": "trace", "S3BACKEND": "mem", "S3DATAPATH": "/env/data", "S3METADATAPATH": "/env/md",
            "LISTEN_ADDR": "127.0.0.1",
        ]
        let fromEnvironment = try fixture.load(environment)
        #expect(fromEnvironment.logLevel == "trace")
        #expect(fromEnvironment.backend == "mem")
        #expect(fromEnvironment.dataPath == "/env/data")
        #expect(fromEnvironment.metadataPath == "/env/md")
        #expect(fromEnvironment.listen.map(\.host) == ["127.0.0.1"])
        #expect(fromEnvironment.listen.map(\.port) == [8100])

        let flags = CommandLineOverrides(
            port: 8200, listenAddress: "::1", dataPath: "flagdata", metadataPath: "/flag/md", backend: "file",
            logLevel: "info")
        let fromFlags = try fixture.load(environment, flags)
        #expect(fromFlags.logLevel == "info")
        #expect(fromFlags.backend == "file")
        #expect(fromFlags.dataPath == fixture.directory + "/flagdata")
        #expect(fromFlags.metadataPath == "/flag/md")
        #expect(fromFlags.listen.map(\.host) == ["::1"])
        #expect(fromFlags.listen.map(\.port) == [8200])
    }

    @Test("--metrics-port beats metricsPort of config.json")
    func metricsPortFlag() throws {
        let fixture = ConfigFixture(["config.json": #"{"metricsPort": 9002, "restEndpoints": {}}"#])
        #expect(try fixture.load().metricsPort == 9002)
        #expect(try fixture.load([:], CommandLineOverrides(metricsPort: 9102)).metricsPort == 9102)
        #expect(try fixture.load([:], CommandLineOverrides(metricsPort: 0)).metricsPort == 0)
    }

    @Test("--port replaces listenOn and listens on every address")
    func portFlagReplacesListenOn() throws {
        let fixture = ConfigFixture([
            "config.json": #"{"listenOn": ["127.0.0.1:9001"], "restEndpoints": {}}"#
        ])
        let settings = try fixture.load([:], CommandLineOverrides(port: 9100))
        #expect(settings.listen.count == 1)
        #expect(["::", "0.0.0.0"].contains(settings.listen[0].host))
        #expect(settings.listen[0].port == 9100)
    }

    @Test("LISTEN_ADDR listens on that address with the configured port, brackets allowed")
    func listenAddr() throws {
        let fixture = ConfigFixture([
            "config.json": #"{"port": 8300, "listenOn": ["127.0.0.1:9001"], "restEndpoints": {}}"#
        ])
        let settings = try fixture.load(["LISTEN_ADDR": "[::1]"])
        #expect(settings.listen.map(\.host) == ["::1"])
        #expect(settings.listen.map(\.port) == [8300])
    }

    @Test(
        "SCALITY_ACCESS_KEY_ID and SCALITY_SECRET_ACCESS_KEY make one CustomAccount and authdata.json is not read"
    )
    func scalityCredentials() throws {
        let fixture = ConfigFixture(["conf/authdata.json": "this is not JSON"])
        let settings = try fixture.load([
            "SCALITY_ACCESS_KEY_ID": "newAccessKey", "SCALITY_SECRET_ACCESS_KEY": "newSecretKey",
        ])
        #expect(settings.credentials.count == 1)
        #expect(settings.credentials[0].accessKey == "newAccessKey")
        #expect(settings.credentials[0].secret == "newSecretKey")
        #expect(settings.credentials[0].account.name == "CustomAccount")
        #expect(settings.credentials[0].account.canonicalID.count == 64)
        #expect(!settings.sources.contains { $0.hasSuffix("authdata.json") })
    }

    @Test("ENDPOINT adds each listed host to restEndpoints, mapped to us-east-1")
    func endpointVariable() throws {
        let fixture = ConfigFixture()
        let settings = try fixture.load(["ENDPOINT": "new.host.com, other.host.com"])
        #expect(
            settings.restEndpoints == [
                "localhost": "us-east-1", "new.host.com": "us-east-1", "other.host.com": "us-east-1",
            ])
    }

    @Test("S3_CONFIG_FILE, S3_LOCATION_FILE and S3AUTH_CONFIG point at other files")
    func filePathVariables() throws {
        let fixture = ConfigFixture([
            "config.json": nil, "locationConfig.json": nil, "conf/authdata.json": nil,
        ])
        fixture.write("elsewhere/c.json", #"{"port": 8400, "restEndpoints": {}}"#)
        fixture.write("elsewhere/l.json", ConfigFixture.locations)
        fixture.write("elsewhere/a.json", ConfigFixture.authdata)
        let settings = try fixture.load([
            "S3_CONFIG_FILE": "elsewhere/c.json", "S3_LOCATION_FILE": fixture.directory + "/elsewhere/l.json",
            "S3AUTH_CONFIG": "elsewhere/a.json",
        ])
        #expect(settings.listen[0].port == 8400)
        #expect(settings.sources.count == 3)
        #expect(settings.sources.allSatisfy { $0.hasPrefix(fixture.directory + "/elsewhere/") })
    }

    @Test("--config beats S3_CONFIG_FILE")
    func configFlag() throws {
        let fixture = ConfigFixture()
        fixture.write("flag.json", #"{"port": 8500, "restEndpoints": {}}"#)
        fixture.write("env.json", #"{"port": 8600, "restEndpoints": {}}"#)
        let settings = try fixture.load(
            ["S3_CONFIG_FILE": "env.json"], CommandLineOverrides(configFile: "flag.json"))
        #expect(settings.listen[0].port == 8500)
    }

    @Test("conf/config.json is preferred to ./config.json")
    func searchOrder() throws {
        let fixture = ConfigFixture(["conf/config.json": #"{"port": 8700, "restEndpoints": {}}"#])
        #expect(try fixture.load().listen[0].port == 8700)
    }

    @Test("environment overrides of health checks, replication group, S3DATA and the version ID encoding")
    func otherVariables() throws {
        let fixture = ConfigFixture()
        let settings = try fixture.load([
            "HEALTHCHECKS_ALLOWFROM": "10.1.0.0/16, ::1", "REPLICATION_GROUP_ID": "RG9",
            "S3DATA": "multiple", "REMOTE_MANAGEMENT_DISABLE": "1", "LOG_LEVEL": "",
            "S3_VERSION_ID_ENCODING_TYPE": "base62",
        ])
        #expect(settings.versionIDEncoding == .base62)
        #expect(settings.healthCheckAllowFrom == [CIDR("10.1.0.0/16")!, CIDR("::1")!])
        #expect(settings.replicationGroupID == "RG9    ")
        #expect(settings.multipleBackends)
        #expect(settings.logLevel == "info")
    }

    @Test("azure details take the <location>_AZURE_STORAGE_* variables")
    func azureOverrides() throws {
        let fixture = ConfigFixture([
            "locationConfig.json": """
            {"us-east-1": {"type": "file", "legacyAwsBehavior": true, "details": {}},
             "azurebackend": {"type": "azure", "legacyAwsBehavior": false, "details": {
               "azureStorageEndpoint": "https://file.example/", "azureStorageAccountName": "fromfile",
               "azureContainerName": "container", "bucketMatch": true}}}
            """
        ])
        let settings = try fixture.load([
            "azurebackend_AZURE_STORAGE_ACCESS_KEY": "c2VjcmV0",
            "azurebackend_AZURE_STORAGE_ACCOUNT_NAME": "fromenv",
        ])
        let details = try #require(settings.locations["azurebackend"]).details
        #expect(details["azureStorageAccessKey"] == .string("c2VjcmV0"))
        #expect(details["azureStorageAccountName"] == .string("fromenv"))
        #expect(details["azureStorageEndpoint"] == .string("https://file.example/"))
        let azure = try #require(settings.locations["azurebackend"]?.azure)
        #expect(azure.accountName == "fromenv" && azure.accountKey == Array("secret".utf8))
        #expect(azure.endpoint == HTTPEndpoint(useTLS: true, host: "file.example") && azure.basePath == "")
        #expect(azure.containerName == "container" && azure.bucketMatch)
    }

    @Test(
        "an azure endpoint may carry an emulator's account path; without a scheme it is https",
        arguments: [
            ("http://127.0.0.1:10000/devstoreaccount1/", false, "127.0.0.1", 10000, "/devstoreaccount1"),
            ("acct.blob.core.windows.net", true, "acct.blob.core.windows.net", 443, ""),
            ("https://[::1]:8443", true, "::1", 8443, ""),
        ])
    func azureEndpoint(text: String, tls: Bool, host: String, port: Int, path: String) throws {
        let parsed = try #require(AzureLocation.parseEndpoint(text))
        #expect(parsed.0 == HTTPEndpoint(useTLS: tls, host: host, port: port))
        #expect(parsed.1 == path)
    }

    @Test("an aws_s3 location reads its keys from the profile of AWS_SHARED_CREDENTIALS_FILE")
    func awsLocation() throws {
        let fixture = ConfigFixture([
            "locationConfig.json": """
            {"us-east-1": {"type": "file", "legacyAwsBehavior": true, "details": {}},
             "awsbackend": {"type": "aws_s3", "legacyAwsBehavior": true, "details": {
               "awsEndpoint": "s3.amazonaws.com", "bucketName": "b", "bucketMatch": false,
               "credentialsProfile": "aws_hosted_profile", "serverSideEncryption": true}}}
            """,
            "credentials": """
            [default]
            aws_access_key_id=accessKey1
            aws_secret_access_key=verySecretKey1
            # the remote's
            [aws_hosted_profile]
            aws_access_key_id = AKIDEXAMPLE
            aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
            """,
        ])
        let settings = try fixture.load(["AWS_SHARED_CREDENTIALS_FILE": fixture.directory + "/credentials"])
        let aws = try #require(settings.locations["awsbackend"]?.awsS3)
        #expect(aws.accessKey == "AKIDEXAMPLE")
        #expect(aws.secretKey == "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        #expect(aws.endpoint == HTTPEndpoint(useTLS: true, host: "s3.amazonaws.com", port: 443))
        #expect(!aws.pathStyle && !aws.bucketMatch && aws.serverSideEncryption)
        #expect(aws.region == "us-east-1" && aws.bucketName == "b" && aws.locationName == "awsbackend")
    }

    @Test(
        "aws_s3 endpoints: host, host:port and URLs; path style by default for addresses",
        arguments: [
            ("s3.amazonaws.com", nil, HTTPEndpoint(useTLS: true, host: "s3.amazonaws.com"), false),
            ("127.0.0.1:9583", false, HTTPEndpoint(useTLS: false, host: "127.0.0.1", port: 9583), true),
            ("http://localhost:9000/", nil, HTTPEndpoint(useTLS: false, host: "localhost", port: 9000), true),
            (
                "https://minio.example:9443", nil,
                HTTPEndpoint(useTLS: true, host: "minio.example", port: 9443), false
            ),
            ("[::1]:8000", false, HTTPEndpoint(useTLS: false, host: "::1", port: 8000), true),
        ] as [(String, Bool?, HTTPEndpoint, Bool)])
    func awsEndpoints(text: String, https: Bool?, endpoint: HTTPEndpoint, pathStyle: Bool) throws {
        let httpsField = https.map { #", "https": \#($0)"# } ?? ""
        let fixture = ConfigFixture([
            "locationConfig.json": """
            {"us-east-1": {"type": "file", "legacyAwsBehavior": true, "details": {}},
             "remote": {"type": "aws_s3", "legacyAwsBehavior": false, "details": {
               "awsEndpoint": "\(text)", "bucketName": "b", "bucketMatch": true\(httpsField),
               "credentials": {"accessKey": "a", "secretKey": "s"}}}}
            """
        ])
        let aws = try #require(try fixture.load().locations["remote"]?.awsS3)
        #expect(aws.endpoint == endpoint)
        #expect(aws.pathStyle == pathStyle)
    }

    @Test("the repository's default files load and hold the two sample accounts")
    func repositoryDefaults() throws {
        let root = URLPath.packageRoot
        let settings = try Settings.load(environment: [:], workingDirectory: root)
        #expect(Set(settings.credentials.map(\.accessKey)) == ["accessKey1", "accessKey2"])
        #expect(Set(settings.credentials.map(\.account.canonicalID)).count == 2)
        #expect(settings.restEndpoints["localhost"] == "us-east-1")
        #expect(settings.locations["mem"]?.type == "mem")
        #expect(settings.replicationGroupID == "RG001  ")
    }
}

/// Paths of the package, derived from this file's location.
enum URLPath {
    /// The package root (two levels above Tests/CloudServerTests).
    static var packageRoot: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }
}
