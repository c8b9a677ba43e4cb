"""Replaced remote versions (overwrites at an aws_s3 location) are deleted in the background,
many per DeleteObjects request; each waits in the metadata store's `__garbage` namespace until
it is gone, so a restart picks up what an earlier run left."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor

from gatewaylib import aws_location, eventually_versions, gateway_server, remote_versions

REMOTE = "gateway-doomed"  # the versioned bucket of the moto_to_kill peer


def garbage_rows(server) -> list[bytes]:
    """The `__garbage` keys in the stopped server's metadata store."""
    with sqlite3.connect(server.meta_dir / "metadata.sqlite3") as db:
        return [bytes(k) for (k,) in db.execute("SELECT k FROM kv WHERE ns = ?", (b"__garbage",))]


def test_overwritten_remote_versions_are_freed_in_the_background(moto_to_kill, tmp_path):
    server = gateway_server(tmp_path, {"collected": aws_location(moto_to_kill.port, REMOTE, True)})
    try:
        s3 = server.client()
        s3.create_bucket(Bucket="rewritten", CreateBucketConfiguration={"LocationConstraint": "collected"})
        keys = [f"key-{i}" for i in range(40)]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda k: s3.put_object(Bucket="rewritten", Key=k, Body=b"old " + k.encode()), keys))
            list(pool.map(lambda k: s3.put_object(Bucket="rewritten", Key=k, Body=b"new " + k.encode()), keys))
        for key in keys:
            versions = eventually_versions(moto_to_kill, REMOTE, key, 1)
            assert len(versions) == 1, versions
            remote = moto_to_kill.client().get_object(Bucket=REMOTE, Key=key, VersionId=versions[0]["VersionId"])
            assert remote["Body"].read() == b"new " + key.encode()
            assert s3.get_object(Bucket="rewritten", Key=key)["Body"].read() == b"new " + key.encode()
    finally:
        server.stop()
    assert garbage_rows(server) == []


def test_a_restart_frees_what_was_left_to_free(moto_to_kill, tmp_path):
    server = gateway_server(tmp_path, {"collected": aws_location(moto_to_kill.port, REMOTE, True)})
    s3 = server.client()
    s3.create_bucket(Bucket="left", CreateBucketConfiguration={"LocationConstraint": "collected"})
    s3.put_object(Bucket="left", Key="k", Body=b"live")
    # A version no record refers to, as an overwrite leaves when the server dies before its
    # collector ran: written straight to the remote, recorded as garbage while the server is down.
    stray = moto_to_kill.client().put_object(Bucket=REMOTE, Key="k", Body=b"stray")["VersionId"]
    assert len(remote_versions(moto_to_kill, REMOTE, "k")) == 2
    assert server.stop() == 0
    with sqlite3.connect(server.meta_dir / "metadata.sqlite3") as db:
        db.execute("INSERT INTO kv VALUES (?, ?, ?)", (b"__garbage", b"collected\0k\0" + stray.encode(), b""))
    server.start()
    try:
        versions = eventually_versions(moto_to_kill, REMOTE, "k", 1)
        assert [v["VersionId"] for v in versions] != [stray] and len(versions) == 1, versions
        assert s3_get(server, "left", "k") == b"live"
    finally:
        server.stop()
    assert garbage_rows(server) == []


def s3_get(server, bucket: str, key: str) -> bytes:
    return server.client().get_object(Bucket=bucket, Key=key)["Body"].read()
