"""Helpers of the gateway scenarios: a cloudserver with S3DATA=multiple and aws_s3 or azure
locations on the peers of peers.py, and what to look at on the remote side."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from clientlib import Server
from peers import AZURE_ACCOUNT, AZURE_CONTAINER, AZURE_KEY, REMOTE_KEYS, Peer

FILE_LOCATIONS = {
    "us-east-1": {"type": "file", "legacyAwsBehavior": True, "details": {}},
    "us-east-2": {"type": "file", "legacyAwsBehavior": False, "details": {}},
}


def aws_location(peer_port: int, bucket: str, bucket_match: bool, credentials=REMOTE_KEYS,
                 profile: str | None = None, **details) -> dict:
    """An aws_s3 location on a peer at 127.0.0.1 (plain HTTP, path style)."""
    spec = {"awsEndpoint": f"127.0.0.1:{peer_port}", "https": False, "bucketName": bucket,
            "bucketMatch": bucket_match, **details}
    if profile:
        spec["credentialsProfile"] = profile
    else:
        spec["credentials"] = {"accessKey": credentials[0], "secretKey": credentials[1]}
    return {"type": "aws_s3", "legacyAwsBehavior": False, "details": spec}


def gateway_server(workdir: Path, locations: dict, extra_env: dict | None = None, start: bool = True) -> Server:
    """A server with S3DATA=multiple over `locations` (the file ones always included); the
    remote account is also profile `remote` of its AWS_SHARED_CREDENTIALS_FILE."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "locationConfig.json"
    config.write_text(json.dumps({**FILE_LOCATIONS, **locations}, indent=2))
    credentials = workdir / "aws-credentials"
    credentials.write_text(f"[remote]\naws_access_key_id = {REMOTE_KEYS[0]}\n"
                           f"aws_secret_access_key = {REMOTE_KEYS[1]}\n")
    env = {"S3DATA": "multiple", "S3_LOCATION_FILE": str(config),
           "AWS_SHARED_CREDENTIALS_FILE": str(credentials), **(extra_env or {})}
    server = Server(workdir / "server", extra_env=env)
    return server.start() if start else server


def remote_versions(peer: Peer, bucket: str, key: str) -> list[dict]:
    """Every version of `key` in the remote bucket, newest first."""
    listing = peer.client().list_object_versions(Bucket=bucket, Prefix=key)
    return [v for v in listing.get("Versions", []) if v["Key"] == key]


def eventually_versions(peer: Peer, bucket: str, key: str, count: int, timeout: float = 15) -> list[dict]:
    """The remote versions of `key` once there are `count` of them (replaced versions are freed
    in the background); the last listing when the time is up."""
    deadline = time.monotonic() + timeout
    while True:
        versions = remote_versions(peer, bucket, key)
        if len(versions) == count or time.monotonic() > deadline:
            return versions
        time.sleep(0.1)


def remote_keys(peer: Peer, bucket: str, prefix: str) -> list[str]:
    listing = peer.client().list_objects_v2(Bucket=bucket, Prefix=prefix)
    return [o["Key"] for o in listing.get("Contents", [])]


def local_data_bytes(server: Server) -> int:
    """Bytes under the server's data directory: what it stored itself."""
    total = 0
    for root, _, files in os.walk(server.data_dir):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


def azure_location(port: int | None, bucket_match: bool, account: str = AZURE_ACCOUNT, key: str = AZURE_KEY,
                   container: str = AZURE_CONTAINER, endpoint: str | None = None) -> dict:
    """An azure location on a Blob service stand-in at 127.0.0.1:`port` (plain HTTP), or at
    `endpoint`."""
    return {"type": "azure", "legacyAwsBehavior": False,
            "details": {"azureStorageEndpoint": endpoint or f"http://127.0.0.1:{port}",
                        "azureStorageAccountName": account, "azureStorageAccessKey": key,
                        "azureContainerName": container, "bucketMatch": bucket_match}}
