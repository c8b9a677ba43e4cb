"""Helpers shared by the client scenarios: a server process, client configurations, a small
SigV4 signer for hand-made requests, and raw-socket HTTP."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import time
import urllib.parse
from datetime import datetime, timezone
from pathlib import Path

import boto3
from botocore.config import Config

REPO = Path(os.environ.get("CLOUDSERVER_REPO") or Path(__file__).resolve().parents[2])
"""Repository root: the server runs with this as its working directory."""

BINARY = Path(os.environ.get("CLOUDSERVER_BIN") or REPO / ".build/debug/cloudserver")
if not BINARY.is_absolute():
    BINARY = REPO / BINARY

ACCOUNT1 = ("accessKey1", "verySecretKey1")
ACCOUNT2 = ("accessKey2", "verySecretKey2")
REGION = "us-east-1"

DEFAULT_CONFIG = {
    "port": 8000,
    "listenOn": [],
    "metricsPort": 8002,
    "replicationGroupId": "RG001",
    "restEndpoints": {"localhost": "us-east-1", "127.0.0.1": "us-east-1"},
    "websiteEndpoints": [],
    "healthChecks": {"allowFrom": ["127.0.0.1/8", "::1"]},
    "log": {"logLevel": "info", "dumpLevel": "error"},
}

DEFAULT_LOCATIONS = {
    "us-east-1": {"type": "file", "legacyAwsBehavior": True, "details": {}},
    "us-east-2": {"type": "file", "legacyAwsBehavior": False, "details": {}},
}

DEFAULT_AUTHDATA = {
    "accounts": [
        {
            "name": "Bart",
            "email": "sampleaccount1@sampling.com",
            "arn": "arn:aws:iam::123456789012:root",
            "canonicalID": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
            "shortid": "123456789012",
            "keys": [{"access": ACCOUNT1[0], "secret": ACCOUNT1[1]}],
        },
        {
            "name": "Lisa",
            "email": "sampleaccount2@sampling.com",
            "arn": "arn:aws:iam::123456789013:root",
            "canonicalID": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2bf",
            "shortid": "123456789013",
            "keys": [{"access": ACCOUNT2[0], "secret": ACCOUNT2[1]}],
        },
    ]
}


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def location_config() -> dict:
    """The locationConfig.json the server reads (the repository's, else the default above)."""
    path = REPO / "locationConfig.json"
    if path.exists():
        return json.loads(path.read_text())
    return DEFAULT_LOCATIONS


def legacy_default_location() -> bool:
    """Whether us-east-1 (the location of buckets created without a LocationConstraint on
    127.0.0.1) behaves like AWS's legacy us-east-1: re-creating an own bucket answers 200."""
    return bool(location_config().get("us-east-1", {}).get("legacyAwsBehavior", False))


def non_legacy_location() -> str | None:
    """A location (other than us-east-1) whose buckets answer 409 BucketAlreadyOwnedByYou."""
    for name, spec in location_config().items():
        if name != "us-east-1" and not spec.get("legacyAwsBehavior") and spec.get("type") in ("file", "mem"):
            return name
    return None


class Server:
    """One cloudserver process on a free port with its own data and metadata directories."""

    def __init__(self, workdir: Path, data_dir: Path | None = None, meta_dir: Path | None = None,
                 backend: str = "file", extra_env: dict | None = None, config: dict | None = None,
                 ca_file: Path | None = None):
        """`config` entries are merged into config.json; with `ca_file` the server speaks
        HTTPS (config has certFilePaths) and readiness is checked trusting that CA."""
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.data_dir = Path(data_dir or self.workdir / "data")
        self.meta_dir = Path(meta_dir or self.workdir / "metadata")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.meta_dir.mkdir(parents=True, exist_ok=True)
        self.backend = backend
        self.extra_env = extra_env or {}
        self.config = config or {}
        self.ca_file = ca_file
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.metrics_port = 0
        self.log_path = self.workdir / "server.log"
        self.starts = 0

    @property
    def endpoint(self) -> str:
        return f"{'https' if self.ca_file else 'http'}://127.0.0.1:{self.port}"

    def _environment(self) -> dict:
        config = DEFAULT_CONFIG
        repo_config = REPO / "config.json"
        if repo_config.exists():
            config = json.loads(repo_config.read_text())
        config = dict(config)
        config.update(self.config)
        config["port"] = self.port
        config["metricsPort"] = self.metrics_port
        config_path = self.workdir / "config.json"
        config_path.write_text(json.dumps(config, indent=2))
        env = dict(os.environ)
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "SCALITY_ACCESS_KEY_ID",
                     "SCALITY_SECRET_ACCESS_KEY", "S3DATA", "LISTEN_ADDR", "ENDPOINT"):
            env.pop(name, None)
        env.update(S3_CONFIG_FILE=str(config_path), S3DATAPATH=str(self.data_dir),
                   S3METADATAPATH=str(self.meta_dir), S3BACKEND=self.backend)
        if not (REPO / "locationConfig.json").exists():
            path = self.workdir / "locationConfig.json"
            path.write_text(json.dumps(DEFAULT_LOCATIONS))
            env["S3_LOCATION_FILE"] = str(path)
        if not (REPO / "conf" / "authdata.json").exists():
            path = self.workdir / "authdata.json"
            path.write_text(json.dumps(DEFAULT_AUTHDATA))
            env["S3AUTH_CONFIG"] = str(path)
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 60) -> "Server":
        """Starts the process on fresh ports and waits until it answers HTTP."""
        assert self.proc is None, "already running"
        self.port = free_port()
        self.metrics_port = free_port()
        env = self._environment()
        log = open(self.log_path, "ab")
        log.write(f"=== start {self.starts} port {self.port}\n".encode())
        log.flush()
        self.proc = subprocess.Popen([str(BINARY), "--port", str(self.port)], cwd=REPO, env=env,
                                     stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        self.starts += 1
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if self.ca_file:
                    context = ssl.create_default_context(cafile=str(self.ca_file))
                    conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=2, context=context)
                else:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/")
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                time.sleep(0.05)
            except http.client.HTTPException:
                time.sleep(0.05)
        raise RuntimeError(f"server did not answer within {timeout}s:\n{self.log_tail()}")

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, then waits; returns the exit status (SIGKILL after `timeout`: -9)."""
        if self.proc is None:
            return 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.proc = None
        return code

    def kill(self) -> None:
        """kill -9, as a crash."""
        if self.proc is None:
            return
        self.proc.kill()
        self.proc.wait()
        self.proc = None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def client(self, creds=ACCOUNT1, style: str = "path", **config) -> "boto3.client":
        return s3_client(self.endpoint, creds, style, verify=str(self.ca_file) if self.ca_file else None,
                         **config)


def s3_client(endpoint: str, creds=ACCOUNT1, style: str = "path", signature_version: str | None = None,
              max_attempts: int = 1, verify: str | bool | None = None, **config):
    """A boto3 S3 client for `endpoint`, path- or virtual-hosted-style, without retries;
    `verify` is botocore's (a CA bundle path for HTTPS)."""
    options = dict(connect_timeout=10, read_timeout=60)
    options.update(config)
    cfg = Config(
        s3={"addressing_style": style},
        retries={"max_attempts": max_attempts, "mode": "standard"},
        signature_version=signature_version,
        **options,
    )
    return boto3.session.Session().client(
        "s3", endpoint_url=endpoint, aws_access_key_id=creds[0], aws_secret_access_key=creds[1],
        region_name=REGION, config=cfg, verify=verify)


# --- a small SigV4 signer, for requests no SDK will send -----------------------------------

def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def _quote(text: str) -> str:
    return urllib.parse.quote(text, safe="-_.~")


def sigv4_headers(method: str, url: str, headers: dict | None = None, body: bytes = b"",
                  creds=ACCOUNT1, when: datetime | None = None, payload_hash: str | None = None,
                  region: str = REGION) -> dict:
    """Headers (with Authorization) for `method url`; `url`'s path must already be encoded."""
    parts = urllib.parse.urlsplit(url)
    now = when or datetime.now(timezone.utc)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    day = now.strftime("%Y%m%d")
    payload = payload_hash or hashlib.sha256(body).hexdigest()
    signed = {k.lower(): str(v) for k, v in (headers or {}).items()}
    signed["host"] = parts.netloc
    signed["x-amz-date"] = amz_date
    signed["x-amz-content-sha256"] = payload
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    canonical_query = "&".join(f"{_quote(k)}={_quote(v)}" for k, v in sorted(query))
    names = sorted(signed)
    canonical_headers = "".join(f"{n}:{' '.join(signed[n].strip().split())}\n" for n in names)
    signed_names = ";".join(names)
    canonical = "\n".join([method, parts.path or "/", canonical_query, canonical_headers, signed_names, payload])
    scope = f"{day}/{region}/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(_hmac(("AWS4" + creds[1]).encode(), day), region), "s3"), "aws4_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    signed["authorization"] = (f"AWS4-HMAC-SHA256 Credential={creds[0]}/{scope}, "
                               f"SignedHeaders={signed_names}, Signature={signature}")
    return signed


# --- raw HTTP over a socket --------------------------------------------------------------

class RawResponse:
    def __init__(self, status: int, headers: dict, body: bytes, closed: bool):
        self.status = status
        self.headers = headers
        self.body = body
        self.closed = closed

    def __repr__(self) -> str:
        return f"RawResponse({self.status}, {self.headers}, {self.body[:300]!r}, closed={self.closed})"


def read_response(sock: socket.socket, method: str = "GET", timeout: float = 10) -> RawResponse:
    """Reads one response from `sock`, then checks whether the server closed the connection."""
    sock.settimeout(timeout)
    response = http.client.HTTPResponse(sock, method=method)
    response.begin()
    body = response.read()
    headers = {k.lower(): v for k, v in response.getheaders()}
    closed = False
    try:
        sock.settimeout(1.0)
        closed = sock.recv(1, socket.MSG_PEEK) == b""
    except socket.timeout:
        closed = False
    except OSError:
        closed = True
    return RawResponse(response.status, headers, body, closed)


def raw_exchange(port: int, data: bytes, method: str = "GET", timeout: float = 10) -> RawResponse:
    """Sends `data` on a fresh connection and reads one response."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        return read_response(sock, method, timeout)


def error_code(body: bytes) -> str | None:
    """The <Code> of an S3 error document."""
    text = body.decode(errors="replace")
    start = text.find("<Code>")
    end = text.find("</Code>")
    if start < 0 or end < 0:
        return None
    return text[start + 6:end]


def md5_hex(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def md5_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def run(cmd: list[str], env: dict | None = None, timeout: float = 300, check: bool = True,
        cwd: str | None = None) -> subprocess.CompletedProcess:
    """Runs a client command; on failure with check, the assertion shows its output."""
    proc = subprocess.run(cmd, env=env, timeout=timeout, capture_output=True, text=True, cwd=cwd)
    if check:
        assert proc.returncode == 0, (
            f"{' '.join(cmd)} exited {proc.returncode}\nstdout:\n{proc.stdout[-3000:]}\n"
            f"stderr:\n{proc.stderr[-3000:]}")
    return proc


def which(name: str) -> str | None:
    return shutil.which(name)


def unavailable(reason: str):
    """Skips a scenario whose tool or privilege is missing here; under CI (CI=true), where
    the test command installs everything, fails it instead, so nothing is skipped silently."""
    import pytest

    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)
