import Testing

@testable import CloudServer

/// One configuration mistake and the exact line it must produce.
struct ErrorCase: CustomTestStringConvertible, Sendable {
    var name: String
    var files: [String: String?] = [:]
    var environment: [String: String] = [:]
    var overrides = CommandLineOverrides()
    /// Expected description; `{dir}` stands for the fixture directory.
    var expected: String
    var testDescription: String { name }
}

private let location = #"{"type": "file", "legacyAwsBehavior": true, "details": {}}"#

private func locations(_ extra: String) -> String { #"{"us-east-1": \#(location), \#(extra)}"# }

private func account(_ name: String, _ email: String, _ arn: String, _ id: String, _ key: String) -> String {
    """
    {"name": "\(name)", "email": "\(email)", "arn": "\(arn)", "canonicalID": "\(id)", "shortid": "123456789012",
     "keys": [{"access": "\(key)", "secret": "s"}]}
    """
}

private let errorCases: [ErrorCase] = [
    ErrorCase(
        name: "port is not a number",
        files: ["config.json": #"{"port": "abc", "restEndpoints": {}}"#],
        expected: #"config.json: port: must be an integer between 0 and 65535 (got "abc")"#),
    ErrorCase(
        name: "port is too large",
        files: ["config.json": #"{"port": 70000, "restEndpoints": {}}"#],
        expected: "config.json: port: must be an integer between 0 and 65535 (got 70000)"),
    ErrorCase(
        name: "port is fractional",
        files: ["config.json": #"{"port": 80.5, "restEndpoints": {}}"#],
        expected: "config.json: port: must be an integer between 0 and 65535 (got 80.5)"),
    ErrorCase(
        name: "metricsPort is negative",
        files: ["config.json": #"{"metricsPort": -1, "restEndpoints": {}}"#],
        expected: "config.json: metricsPort: must be an integer between 0 and 65535 (got -1)"),
    ErrorCase(
        name: "--port out of range",
        overrides: CommandLineOverrides(port: 65536),
        expected: "command line: --port: must be an integer between 0 and 65535 (got 65536)"),
    ErrorCase(
        name: "--metrics-port out of range",
        overrides: CommandLineOverrides(metricsPort: -1),
        expected: "command line: --metrics-port: must be an integer between 0 and 65535 (got -1)"),
    ErrorCase(
        name: "bad JSON",
        files: ["config.json": "{\n  \"port\": 8000,\n  \"restEndpoints\": {,}\n}"],
        expected: "config.json: invalid JSON at line 3, column 21: expected a quoted key, found ','"),
    ErrorCase(
        name: "trailing garbage after JSON",
        files: ["locationConfig.json": "{} x"],
        expected: "locationConfig.json: invalid JSON at line 1, column 4: unexpected 'x' after the value"),
    ErrorCase(
        name: "config file named by S3_CONFIG_FILE is missing",
        environment: ["S3_CONFIG_FILE": "missing.json"],
        expected: "missing.json: cannot read {dir}/missing.json: No such file or directory"),
    ErrorCase(
        name: "no config.json anywhere",
        files: ["config.json": nil],
        expected: "config.json: not found (looked for conf/config.json and config.json in {dir}; "
            + "set S3_CONFIG_FILE to its path)"),
    ErrorCase(
        name: "restEndpoints is missing",
        files: ["config.json": #"{"port": 8000}"#],
        expected: "config.json: restEndpoints: is missing"),
    ErrorCase(
        name: "restEndpoints names an unknown location",
        files: [
            "config.json": #"{"restEndpoints": {"localhost": "us-east-1", "s3.example.com": "nowhere"}}"#
        ],
        expected:
            #"config.json: restEndpoints.s3.example.com: "nowhere" is not a location of locationConfig.json"#),
    ErrorCase(
        name: "restEndpoints value is not a string",
        files: ["config.json": #"{"restEndpoints": {"localhost": 1}}"#],
        expected: "config.json: restEndpoints.localhost: must be a string (got 1)"),
    ErrorCase(
        name: "listenOn entry without a port",
        files: ["config.json": #"{"listenOn": ["127.0.0.1"], "restEndpoints": {}}"#],
        expected:
            #"config.json: listenOn[0]: must be "ip:port" or "[ipv6]:port" with a port between 0 and 65535 "#
            + #"(got "127.0.0.1")"#),
    ErrorCase(
        name: "bad CIDR in healthChecks",
        files: ["config.json": #"{"healthChecks": {"allowFrom": ["127.0.0.1/33"]}, "restEndpoints": {}}"#],
        expected:
            #"config.json: healthChecks.allowFrom[0]: is not an IP address or CIDR (got "127.0.0.1/33")"#),
    ErrorCase(
        name: "bad CIDR in HEALTHCHECKS_ALLOWFROM",
        environment: ["HEALTHCHECKS_ALLOWFROM": "127.0.0.1/8,localhost"],
        expected: #"environment: HEALTHCHECKS_ALLOWFROM: "localhost" is not an IP address or CIDR"#),
    ErrorCase(
        name: "unknown log level in config.json",
        files: ["config.json": #"{"log": {"logLevel": "loud"}, "restEndpoints": {}}"#],
        expected:
            #"config.json: log.logLevel: must be one of info, debug, trace, warn, error, fatal (got "loud")"#),
    ErrorCase(
        name: "replicationGroupId too long",
        files: ["config.json": #"{"replicationGroupId": "RG0000001", "restEndpoints": {}}"#],
        expected:
            #"config.json: replicationGroupId: must be 1 to 7 printable ASCII characters (got "RG0000001")"#),
    ErrorCase(
        name: "unknown S3BACKEND",
        environment: ["S3BACKEND": "scality"],
        expected: #"environment: S3BACKEND: must be file or mem (got "scality")"#),
    ErrorCase(
        name: "unknown --backend",
        overrides: CommandLineOverrides(backend: "disk"),
        expected: #"command line: --backend: must be file or mem (got "disk")"#),
    ErrorCase(
        name: "bad LISTEN_ADDR",
        environment: ["LISTEN_ADDR": "example.com"],
        expected: #"environment: LISTEN_ADDR: must be an IPv4 or IPv6 address (got "example.com")"#),
    ErrorCase(
        name: "certificate file missing",
        files: ["config.json": #"{"certFilePaths": {"key": "k.pem", "cert": "c.pem"}, "restEndpoints": {}}"#],
        expected: "config.json: certFilePaths.key: cannot read {dir}/k.pem: No such file or directory"),
    ErrorCase(
        name: "unknown location type",
        files: [
            "locationConfig.json": locations(
                #""ring": {"type": "scality", "legacyAwsBehavior": false, "details": {}}"#)
        ],
        expected:
            #"locationConfig.json: ring.type: unknown location type "scality" (expected one of mem, file, aws_s3, azure)"#
    ),
    ErrorCase(
        name: "missing us-east-1",
        files: ["locationConfig.json": #"{"other": \#(location)}"#],
        expected: "locationConfig.json: us-east-1: is missing (a location named us-east-1 is required)"),
    ErrorCase(
        name: "location without legacyAwsBehavior",
        files: ["locationConfig.json": locations(#""x": {"type": "mem", "details": {}}"#)],
        expected: "locationConfig.json: x.legacyAwsBehavior: is missing"),
    ErrorCase(
        name: "location without details",
        files: ["locationConfig.json": locations(#""x": {"type": "mem", "legacyAwsBehavior": false}"#)],
        expected: "locationConfig.json: x.details: is missing"),
    ErrorCase(
        name: "location without type",
        files: ["locationConfig.json": locations(#""x": {"legacyAwsBehavior": false, "details": {}}"#)],
        expected: "locationConfig.json: x.type: is missing"),
    ErrorCase(
        name: "aws_s3 location without bucketName",
        files: [
            "locationConfig.json": locations(
                #""aws": {"type": "aws_s3", "legacyAwsBehavior": false, "details": {"awsEndpoint": "s3.amazonaws.com", "#
                    + #""bucketMatch": true, "credentialsProfile": "p"}}"#)
        ],
        expected: "locationConfig.json: aws.details.bucketName: is missing"),
    ErrorCase(
        name: "aws_s3 location without credentials",
        files: [
            "locationConfig.json": locations(
                #""aws": {"type": "aws_s3", "legacyAwsBehavior": false, "details": {"awsEndpoint": "e", "#
                    + #""bucketName": "b", "bucketMatch": true}}"#)
        ],
        expected:
            "locationConfig.json: aws.details.credentialsProfile: is missing (set credentialsProfile or credentials)"
    ),
    ErrorCase(
        name: "aws_s3 credentials without secretKey",
        files: [
            "locationConfig.json": locations(
                #""aws": {"type": "aws_s3", "legacyAwsBehavior": false, "details": {"awsEndpoint": "e", "#
                    + #""bucketName": "b", "bucketMatch": true, "credentials": {"accessKey": "a"}}}"#)
        ],
        expected: "locationConfig.json: aws.details.credentials.secretKey: is missing"),
    ErrorCase(
        name: "aws_s3 profile missing from the credentials file",
        files: [
            "locationConfig.json": locations(
                #""aws": {"type": "aws_s3", "legacyAwsBehavior": false, "details": {"awsEndpoint": "e", "#
                    + #""bucketName": "b", "bucketMatch": true, "credentialsProfile": "zenko"}}"#),
            "creds": "[default]\naws_access_key_id = a\naws_secret_access_key = s\n",
        ],
        environment: ["AWS_SHARED_CREDENTIALS_FILE": "creds"],
        expected: #"locationConfig.json: aws.details.credentialsProfile: profile "zenko" is not in creds"#),
    ErrorCase(
        name: "aws_s3 profile without a secret",
        files: [
            "locationConfig.json": locations(
                #""aws": {"type": "aws_s3", "legacyAwsBehavior": false, "details": {"awsEndpoint": "e", "#
                    + #""bucketName": "b", "bucketMatch": true, "credentialsProfile": "zenko"}}"#),
            "creds": "[zenko]\naws_access_key_id = a\n",
        ],
        environment: ["AWS_SHARED_CREDENTIALS_FILE": "creds"],
        expected:
            #"locationConfig.json: aws.details.credentialsProfile: profile "zenko" in creds has no aws_secret_access_key"#
    ),
    ErrorCase(
        name: "aws_s3 credentials file missing",
        files: [
            "locationConfig.json": locations(
                #""aws": {"type": "aws_s3", "legacyAwsBehavior": false, "details": {"awsEndpoint": "e", "#
                    + #""bucketName": "b", "bucketMatch": true, "credentialsProfile": "zenko"}}"#)
        ],
        environment: ["HOME": "/nonexistent-home"],
        expected:
            "/nonexistent-home/.aws/credentials: cannot read /nonexistent-home/.aws/credentials: No such file or directory"
    ),
    ErrorCase(
        name: "aws_s3 with both credentials and a profile",
        files: [
            "locationConfig.json": locations(
                #""aws": {"type": "aws_s3", "legacyAwsBehavior": false, "details": {"awsEndpoint": "e", "#
                    + #""bucketName": "b", "bucketMatch": true, "credentialsProfile": "p", "#
                    + #""credentials": {"accessKey": "a", "secretKey": "s"}}}"#)
        ],
        expected:
            "locationConfig.json: aws.details.credentialsProfile: must not be set with credentials (use only one of them)"
    ),
    ErrorCase(
        name: "aws_s3 endpoint with a path",
        files: [
            "locationConfig.json": locations(
                #""aws": {"type": "aws_s3", "legacyAwsBehavior": false, "details": {"#
                    + #""awsEndpoint": "http://h:9000/prefix", "bucketName": "b", "bucketMatch": true, "#
                    + #""credentials": {"accessKey": "a", "secretKey": "s"}}}"#)
        ],
        expected:
            #"locationConfig.json: aws.details.awsEndpoint: must be a host, host:port or http(s)://host[:port] (got "http://h:9000/prefix")"#
    ),
    ErrorCase(
        name: "aws_s3 https contradicting the endpoint's scheme",
        files: [
            "locationConfig.json": locations(
                #""aws": {"type": "aws_s3", "legacyAwsBehavior": false, "details": {"#
                    + #""awsEndpoint": "http://h:9000", "https": true, "bucketName": "b", "bucketMatch": true, "#
                    + #""credentials": {"accessKey": "a", "secretKey": "s"}}}"#)
        ],
        expected:
            #"locationConfig.json: aws.details.https: contradicts the scheme of awsEndpoint "http://h:9000""#),
    ErrorCase(
        name: "azure location without an access key",
        files: [
            "locationConfig.json": locations(
                #""az": {"type": "azure", "legacyAwsBehavior": false, "details": {"azureStorageEndpoint": "e", "#
                    + #""azureStorageAccountName": "n", "azureContainerName": "c", "bucketMatch": true}}"#)
        ],
        expected: "locationConfig.json: az.details.azureStorageAccessKey: is missing "
            + "(set it here or in az_AZURE_STORAGE_ACCESS_KEY)"),
    ErrorCase(
        name: "azure access key that is not base64",
        files: [
            "locationConfig.json": locations(
                #""az": {"type": "azure", "legacyAwsBehavior": false, "details": {"azureStorageEndpoint": "e", "#
                    + #""azureStorageAccountName": "n", "azureStorageAccessKey": "not base64!", "#
                    + #""azureContainerName": "c", "bucketMatch": true}}"#)
        ],
        expected: "locationConfig.json: az.details.azureStorageAccessKey: must be the account key in base64"),
    ErrorCase(
        name: "azure endpoint with a query",
        files: [
            "locationConfig.json": locations(
                #""az": {"type": "azure", "legacyAwsBehavior": false, "details": {"#
                    + #""azureStorageEndpoint": "https://h/a?b", "azureStorageAccountName": "n", "#
                    + #""azureStorageAccessKey": "a2V5", "azureContainerName": "c", "bucketMatch": true}}"#)
        ],
        expected:
            #"locationConfig.json: az.details.azureStorageEndpoint: must be http(s)://host[:port][/path] or a host (got "https://h/a?b")"#
    ),
    ErrorCase(
        name: "authdata account without an email",
        files: ["conf/authdata.json": #"{"accounts": [{"name": "a"}]}"#],
        expected: "conf/authdata.json: accounts[0].email: is missing"),
    ErrorCase(
        name: "authdata without accounts",
        files: ["conf/authdata.json": "{}"],
        expected: "conf/authdata.json: accounts: is missing"),
    ErrorCase(
        name: "authdata key without a secret",
        files: [
            "conf/authdata.json":
                #"{"accounts": [{"name": "a", "email": "e", "arn": "r", "canonicalID": "c", "#
                + #""shortid": "1", "keys": [{"access": "k"}]}]}"#
        ],
        expected: "conf/authdata.json: accounts[0].keys[0].secret: is missing"),
    ErrorCase(
        name: "authdata account without keys",
        files: [
            "conf/authdata.json":
                #"{"accounts": [{"name": "a", "email": "e", "arn": "r", "canonicalID": "c", "#
                + #""shortid": "1", "keys": []}]}"#
        ],
        expected: "conf/authdata.json: accounts[0].keys: must hold at least one {access, secret} pair"),
    ErrorCase(
        name: "authdata duplicate access key",
        files: [
            "conf/authdata.json": #"{"accounts": [\#(account("a", "a@x", "arn:a", "ca", "k1")), "#
                + #"\#(account("b", "b@x", "arn:b", "cb", "k1"))]}"#
        ],
        expected:
            #"conf/authdata.json: accounts[1].keys[0].access: access key "k1" is already used by accounts[0].keys[0]"#
    ),
    ErrorCase(
        name: "authdata duplicate email",
        files: [
            "conf/authdata.json": #"{"accounts": [\#(account("a", "a@x", "arn:a", "ca", "k1")), "#
                + #"\#(account("b", "a@x", "arn:b", "cb", "k2"))]}"#
        ],
        expected: #"conf/authdata.json: accounts[1].email: "a@x" is already used by accounts[0]"#),
    ErrorCase(
        name: "authdata duplicate arn",
        files: [
            "conf/authdata.json": #"{"accounts": [\#(account("a", "a@x", "arn:a", "ca", "k1")), "#
                + #"\#(account("b", "b@x", "arn:a", "cb", "k2"))]}"#
        ],
        expected: #"conf/authdata.json: accounts[1].arn: "arn:a" is already used by accounts[0]"#),
    ErrorCase(
        name: "authdata duplicate canonicalID",
        files: [
            "conf/authdata.json": #"{"accounts": [\#(account("a", "a@x", "arn:a", "ca", "k1")), "#
                + #"\#(account("b", "b@x", "arn:b", "ca", "k2"))]}"#
        ],
        expected: #"conf/authdata.json: accounts[1].canonicalID: "ca" is already used by accounts[0]"#),
    ErrorCase(
        name: "SCALITY_ACCESS_KEY_ID without the secret",
        environment: ["SCALITY_ACCESS_KEY_ID": "k"],
        expected:
            "environment: SCALITY_SECRET_ACCESS_KEY: is missing (SCALITY_ACCESS_KEY_ID is set; set both or neither)"
    ),
    ErrorCase(
        name: "SCALITY_SECRET_ACCESS_KEY without the key",
        environment: ["SCALITY_SECRET_ACCESS_KEY": "s"],
        expected:
            "environment: SCALITY_ACCESS_KEY_ID: is missing (SCALITY_SECRET_ACCESS_KEY is set; set both or neither)"
    ),
    ErrorCase(
        name: "bad REPLICATION_GROUP_ID",
        environment: ["REPLICATION_GROUP_ID": "TOOLONGID"],
        expected:
            #"environment: REPLICATION_GROUP_ID: must be 1 to 7 printable ASCII characters (got "TOOLONGID")"#
    ),
    ErrorCase(
        name: "unknown S3_VERSION_ID_ENCODING_TYPE",
        environment: ["S3_VERSION_ID_ENCODING_TYPE": "base64"],
        expected: #"environment: S3_VERSION_ID_ENCODING_TYPE: must be "hex" or "base62" (got "base64")"#),
    ErrorCase(
        name: "unknown S3DATA",
        environment: ["S3DATA": "single"],
        expected: #"environment: S3DATA: must be "multiple" or unset (got "single")"#),
    ErrorCase(
        name: "config.json is not an object",
        files: ["config.json": "[]"],
        expected: "config.json: must be an object (got an array)"),
]

@Suite("Configuration errors")
struct ConfigErrorTests {
    @Test("every configuration mistake gives one precise line", arguments: errorCases)
    func oneLine(_ errorCase: ErrorCase) {
        let fixture = ConfigFixture(errorCase.files)
        let expected = errorCase.expected.replacingOccurrences(of: "{dir}", with: fixture.directory)
        let message = fixture.loadError(errorCase.environment, errorCase.overrides)
        #expect(message == expected)
        #expect(message?.contains("\n") != true)
    }

    @Test("a description never spans lines even when the input did")
    func newlinesFlattened() {
        let error = ConfigError(file: "config.json", key: "a\nb", problem: "bad\r\nvalue")
        #expect(error.description == "config.json: a b: bad value")
    }
}
