"""HTTPS with certFilePaths (manual sections 2.7.4 and 6.2): aws-cli with --ca-bundle, boto3
with verify=ca.crt, s3cmd with --ca-certs, s3fs with its url on https, curl on the manual's
*.scalify.test name; plain HTTP on the TLS port fails cleanly; SIGHUP reloads the files."""

from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import ssl
import subprocess
import time
import uuid
from pathlib import Path

import botocore.exceptions
import pytest

from clientlib import ACCOUNT1, Server, md5_hex, run, s3_client
from conftest import AwsCli, _clean_env, empty_and_delete


def make_certificates(directory: Path, ca_name: str = "scalify.test") -> dict:
    """The manual's five openssl steps (section 2.7.4), plus a subjectAltName extension on the
    server certificate (modern clients ignore the CN): `*.scalify.test`, localhost, 127.0.0.1."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_key, ca_crt = directory / "ca.key", directory / "ca.crt"
    key, csr, crt = directory / "test.key", directory / "test.csr", directory / "test.crt"
    san = directory / "san.ext"
    san.write_text("subjectAltName = DNS:*.scalify.test, DNS:localhost, IP:127.0.0.1, IP:::1\n")
    steps = [
        ["genrsa", "-out", ca_key, "2048"],
        ["req", "-new", "-x509", "-extensions", "v3_ca", "-key", ca_key, "-out", ca_crt, "-days", "99999",
         "-subj", f"/C=US/ST=Country/L=City/O=Organization/CN={ca_name}"],
        ["genrsa", "-out", key, "2048"],
        ["req", "-new", "-key", key, "-out", csr, "-subj", "/C=US/ST=Country/L=City/O=Organization/CN=*.scalify.test"],
        ["x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial", "-out", crt,
         "-days", "99999", "-sha256", "-extfile", san],
    ]
    for step in steps:
        run(["openssl", *map(str, step)], timeout=60)
    return {"key": key, "cert": crt, "ca": ca_crt}


def tls_server(workdir: Path) -> tuple[Server, dict]:
    files = make_certificates(workdir / "certs")
    config = {"certFilePaths": {"key": str(files["key"]), "cert": str(files["cert"]), "ca": str(files["ca"])}}
    return Server(workdir / "server", config=config, ca_file=files["ca"]), files


@pytest.fixture(scope="module")
def https(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.fail("the openssl command is missing (apt-get install openssl)")
    srv, files = tls_server(tmp_path_factory.mktemp("tls"))
    srv.start()
    yield srv
    assert srv.stop() == 0, srv.log_tail()


@pytest.fixture
def tls_bucket(https):
    s3 = https.client()
    name = f"tls-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    yield name
    empty_and_delete(s3, name)


def test_awscli_puts_gets_and_lists_with_ca_bundle(https, tls_bucket, tmp_path):
    aws = AwsCli(https, tmp_path / "aws")
    small = tmp_path / "small.txt"
    small.write_bytes(b"over TLS\n")
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(20 * 1024 * 1024))  # multipart (8 MiB parts)
    ca = ["--ca-bundle", str(https.ca_file)]
    aws(*ca, "s3", "cp", "--no-progress", str(small), f"s3://{tls_bucket}/small.txt")
    aws(*ca, "s3", "cp", "--no-progress", str(big), f"s3://{tls_bucket}/dir/big.bin")
    listing = aws(*ca, "s3", "ls", "--recursive", f"s3://{tls_bucket}").stdout
    assert "small.txt" in listing and "dir/big.bin" in listing
    back = tmp_path / "back.bin"
    aws(*ca, "s3", "cp", "--no-progress", f"s3://{tls_bucket}/dir/big.bin", str(back))
    assert md5_hex(back.read_bytes()) == md5_hex(big.read_bytes())
    # Without the CA, aws-cli refuses the certificate.
    refused = aws("s3", "ls", f"s3://{tls_bucket}", check=False)
    assert refused.returncode != 0
    assert "CERTIFICATE_VERIFY_FAILED" in refused.stderr or "certificate verify failed" in refused.stderr


def test_boto3_with_verify_ca(https, tls_bucket):
    s3 = https.client()
    body = os.urandom(300_000)
    s3.put_object(Bucket=tls_bucket, Key="b/obj", Body=body)
    assert s3.get_object(Bucket=tls_bucket, Key="b/obj")["Body"].read() == body
    assert s3.get_object(Bucket=tls_bucket, Key="b/obj", Range="bytes=10-19")["Body"].read() == body[10:20]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=tls_bucket)["Contents"]]
    assert keys == ["b/obj"]


def test_boto3_streams_trailing_checksums_over_https(https, tls_bucket):
    """Over HTTPS botocore sends uploads as unsigned aws-chunked bodies with the checksum in a
    trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER); a wrong trailer is refused."""
    s3 = https.client()
    sent: list[dict] = []
    s3.meta.events.register("before-send.s3.*", lambda request, **_: sent.append(dict(request.headers)))
    body = io.BytesIO(os.urandom(1_000_000))
    put = s3.put_object(Bucket=tls_bucket, Key="trailer", Body=body, ChecksumAlgorithm="CRC32")
    modes = [h.get("X-Amz-Content-SHA256", h.get("x-amz-content-sha256")) for h in sent]
    assert modes[-1] in (b"STREAMING-UNSIGNED-PAYLOAD-TRAILER", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"), sent[-1]
    head = s3.head_object(Bucket=tls_bucket, Key="trailer", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == put["ChecksumCRC32"]

    # The same upload with a trailer that does not match its bytes: BadDigest, nothing stored.
    def corrupt(request, **_):
        if request.body is not None and hasattr(request.body, "_checksum"):
            real = request.body._checksum
            request.body._checksum = type(real)()
            request.body._checksum.update(b"other bytes")
    s3.meta.events.register("before-send.s3.PutObject", corrupt)
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        s3.put_object(Bucket=tls_bucket, Key="corrupt", Body=io.BytesIO(b"x" * 100_000), ChecksumAlgorithm="CRC32")
    assert refused.value.response["Error"]["Code"] in ("BadDigest", "InvalidRequest")
    with pytest.raises(botocore.exceptions.ClientError):
        s3.head_object(Bucket=tls_bucket, Key="corrupt")


def test_boto3_refuses_the_server_without_its_ca(https):
    s3 = s3_client(https.endpoint, verify=True)
    with pytest.raises(botocore.exceptions.SSLError):
        s3.list_buckets()


def test_s3cmd_with_ca_certs(https, tls_bucket, tmp_path):
    if not shutil.which("s3cmd"):
        pytest.skip("s3cmd is not installed (pip install s3cmd)")
    host = f"127.0.0.1:{https.port}"
    cfg = tmp_path / "s3cfg"
    cfg.write_text(
        "[default]\n"
        f"access_key = {ACCOUNT1[0]}\nsecret_key = {ACCOUNT1[1]}\n"
        f"host_base = {host}\nhost_bucket = {host}\n"
        "signature_v2 = False\nuse_https = True\nbucket_location = us-east-1\n")
    s3cmd = ["s3cmd", "-c", str(cfg), "--no-progress", f"--ca-certs={https.ca_file}", f"--host={host}",
             f"--host-bucket={host}"]
    local = tmp_path / "s3cmd.txt"
    local.write_bytes(b"s3cmd over TLS\n" * 1000)
    run([*s3cmd, "put", str(local), f"s3://{tls_bucket}/s3cmd.txt"], env=_clean_env())
    listing = run([*s3cmd, "ls", f"s3://{tls_bucket}/"], env=_clean_env()).stdout
    assert f"s3://{tls_bucket}/s3cmd.txt" in listing
    back = tmp_path / "s3cmd-back.txt"
    run([*s3cmd, "get", f"s3://{tls_bucket}/s3cmd.txt", str(back)], env=_clean_env())
    assert back.read_bytes() == local.read_bytes()


def test_s3fs_mount_over_https(https, tls_bucket, tmp_path):
    """Section 6.2: s3fs mounts a bucket with `-o url=https://...` and use_path_request_style;
    libcurl trusts the local CA through CURL_CA_BUNDLE."""
    if not shutil.which("s3fs"):
        pytest.skip("s3fs is not installed and apt-get could not install it")
    if not os.path.exists("/dev/fuse"):
        pytest.skip("no /dev/fuse on this machine: s3fs cannot mount")
    passwd = tmp_path / "passwd-s3fs"
    passwd.write_text(f"{ACCOUNT1[0]}:{ACCOUNT1[1]}\n")
    passwd.chmod(0o600)
    mountpoint = tmp_path / "mnt"
    mountpoint.mkdir()
    s3 = https.client()
    s3.put_object(Bucket=tls_bucket, Key="from-boto3.txt", Body=b"put by boto3\n")
    env = dict(_clean_env(), CURL_CA_BUNDLE=str(https.ca_file))
    mount = subprocess.run(
        ["s3fs", tls_bucket, str(mountpoint), "-o", f"passwd_file={passwd}", "-o", f"url={https.endpoint}/",
         "-o", "use_path_request_style"], env=env, capture_output=True, text=True, timeout=60)
    output = (mount.stderr + mount.stdout).strip()
    if mount.returncode != 0 and ("fuse:" in output or "fusermount" in output):
        # libfuse and fusermount speak for the mount itself, not for TLS or S3.
        pytest.skip(f"fuse cannot mount here: {output}")
    assert mount.returncode == 0, output
    try:
        deadline = time.monotonic() + 30
        while not os.path.ismount(mountpoint) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert os.path.ismount(mountpoint)
        assert (mountpoint / "from-boto3.txt").read_bytes() == b"put by boto3\n"
        (mountpoint / "file1").write_bytes(b"one\n")
        (mountpoint / "dir1").mkdir()
        (mountpoint / "dir1" / "file3").write_bytes(os.urandom(1_000_000))
        expected = (mountpoint / "dir1" / "file3").read_bytes()
    finally:
        subprocess.run(["fusermount", "-u", str(mountpoint)], capture_output=True, timeout=60)
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=tls_bucket)["Contents"])
    assert keys == ["dir1/", "dir1/file3", "file1", "from-boto3.txt"]
    assert s3.get_object(Bucket=tls_bucket, Key="dir1/file3")["Body"].read() == expected


def test_plain_http_on_the_tls_port_fails_cleanly(https):
    with socket.create_connection(("127.0.0.1", https.port), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        try:
            answer = sock.recv(4096)
        except ConnectionResetError:
            answer = b""
        assert answer == b""
    # The server goes on serving HTTPS.
    assert "Buckets" in https.client().list_buckets()


def test_curl_reaches_the_manual_host_name(https):
    """The manual's s3.scalify.test (section 2.7.4), resolved to 127.0.0.1 by curl rather than
    /etc/hosts; the *.scalify.test certificate verifies."""
    url = f"https://s3.scalify.test:{https.port}/_/healthcheck"
    result = run(["curl", "-sS", "--fail", "--cacert", str(https.ca_file), "--resolve",
                  f"s3.scalify.test:{https.port}:127.0.0.1", url])
    assert '"code":200' in result.stdout


def peer_issuer(port: int, ca: Path) -> str:
    """The CN of the issuer of the certificate the server presents now."""
    context = ssl.create_default_context(cafile=str(ca))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            issuer = dict(item[0] for item in tls.getpeercert()["issuer"])
    return issuer["commonName"]


def test_sighup_reloads_the_certificate_files(tmp_path):
    srv, files = tls_server(tmp_path)
    srv.start()
    try:
        # A new CA and certificate with another issuer name, written over the same files.
        fresh = make_certificates(tmp_path / "fresh", ca_name="reloaded.scalify.test")
        assert peer_issuer(srv.port, files["ca"]) == "scalify.test"
        shutil.copy(fresh["key"], files["key"])
        shutil.copy(fresh["cert"], files["cert"])
        shutil.copy(fresh["ca"], files["ca"])
        srv.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        issuer = None
        while time.monotonic() < deadline:
            try:
                issuer = peer_issuer(srv.port, fresh["ca"])
                break
            except ssl.SSLError:
                time.sleep(0.1)
        assert issuer == "reloaded.scalify.test", srv.log_tail()
        assert srv.proc.poll() is None, "SIGHUP must not stop the server"
    finally:
        assert srv.stop() == 0, srv.log_tail()
