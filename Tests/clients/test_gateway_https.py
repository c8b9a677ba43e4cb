"""An aws_s3 location on an HTTPS endpoint (the manual's default, `https: true`): our client
verifies the remote's certificate chain and host name and sends SNI. The remote here is a
second cloudserver with certFilePaths, its CA trusted through SSL_CERT_FILE."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from clientlib import ACCOUNT1, Server, md5_hex, s3_client
from gatewaylib import gateway_server
from test_tls import make_certificates

REMOTE_BUCKET = "remote-tls"


@pytest.fixture(scope="module")
def remote(tmp_path_factory):
    """A cloudserver speaking HTTPS with a versioned bucket for the gateway's data."""
    workdir = tmp_path_factory.mktemp("remote-tls")
    files = make_certificates(workdir / "certs")
    config = {"certFilePaths": {"key": str(files["key"]), "cert": str(files["cert"]), "ca": str(files["ca"])}}
    server = Server(workdir / "server", config=config, ca_file=files["ca"]).start()
    client = server.client()
    client.create_bucket(Bucket=REMOTE_BUCKET)
    client.put_bucket_versioning(Bucket=REMOTE_BUCKET, VersioningConfiguration={"Status": "Enabled"})
    yield server
    assert server.stop() == 0, server.log_tail()


def https_location(port: int) -> dict:
    return {"type": "aws_s3", "legacyAwsBehavior": False,
            "details": {"awsEndpoint": f"localhost:{port}", "https": True, "pathStyle": True,
                        "bucketName": REMOTE_BUCKET, "bucketMatch": False,
                        "credentials": {"accessKey": ACCOUNT1[0], "secretKey": ACCOUNT1[1]}}}


def test_objects_go_to_a_verified_https_remote_and_come_back(remote, tmp_path):
    gateway = gateway_server(tmp_path / "gw", {"aws-tls": https_location(remote.port)},
                             extra_env={"SSL_CERT_FILE": str(remote.ca_file)})
    try:
        s3 = gateway.client()
        s3.create_bucket(Bucket="local", CreateBucketConfiguration={"LocationConstraint": "aws-tls"})
        body = bytes(range(256)) * 4096
        s3.put_object(Bucket="local", Key="over/tls", Body=body)
        assert md5_hex(s3.get_object(Bucket="local", Key="over/tls")["Body"].read()) == md5_hex(body)
        assert s3.get_object(Bucket="local", Key="over/tls", Range="bytes=5-9")["Body"].read() == body[5:10]
        remote_client = remote.client()
        assert remote_client.get_object(Bucket=REMOTE_BUCKET, Key="local/over/tls")["Body"].read() == body
        s3.delete_object(Bucket="local", Key="over/tls")
        versions = remote_client.list_object_versions(Bucket=REMOTE_BUCKET, Prefix="local/over/tls")
        assert versions.get("Versions", []) == []
        health = json.loads(gateway_health(gateway))
        assert health["aws-tls"]["code"] == 200, health
    finally:
        assert gateway.stop() == 0, gateway.log_tail()


def test_a_remote_whose_certificate_is_not_trusted_is_refused(remote, tmp_path):
    gateway = gateway_server(tmp_path / "gw", {"aws-tls": https_location(remote.port)})
    try:
        s3 = gateway.client()
        s3.create_bucket(Bucket="local", CreateBucketConfiguration={"LocationConstraint": "aws-tls"})
        with pytest.raises(ClientError) as refused:
            s3.put_object(Bucket="local", Key="k", Body=b"never sent")
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
        assert "Contents" not in s3.list_objects_v2(Bucket="local")
        health = json.loads(gateway_health(gateway))
        assert health["aws-tls"]["code"] == 503 and "certificate verify failed" in health["aws-tls"]["error"], health
    finally:
        assert gateway.stop() == 0, gateway.log_tail()


def gateway_health(server: Server) -> str:
    import urllib.request

    with urllib.request.urlopen(f"{server.endpoint}/_/healthcheck", timeout=30) as answer:
        return answer.read().decode()
