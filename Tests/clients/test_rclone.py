"""rclone with the manual's recipe (region other-v2-signature: SigV2) and with SigV4."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.md5(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


def _make_tree(root: Path, count: int = 60) -> None:
    for i in range(count):
        path = root / f"d{i % 4}" / f"file {i}+é.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(i * 37 + 1))
    (root / "big.bin").write_bytes(os.urandom(6 * 1024 * 1024))


def test_copy_check_and_lsjson_with_the_manual_recipe(rclone, bucket, scratch):
    up = scratch / "up"
    _make_tree(up)
    rclone("copy", str(up), f"remote:{bucket}/tree")
    rclone("check", str(up), f"remote:{bucket}/tree")
    listing = json.loads(rclone("lsjson", "-R", "--hash", f"remote:{bucket}/tree").stdout)
    files = {e["Path"]: e for e in listing if not e["IsDir"]}
    assert set(files) == set(_tree(up))
    for path, digest in _tree(up).items():
        assert files[path]["Size"] == (up / path).stat().st_size
        assert files[path]["Hashes"]["md5"] == digest
    down = scratch / "down"
    rclone("copy", f"remote:{bucket}/tree", str(down))
    assert _tree(down) == _tree(up)


def test_copy_and_check_with_signature_v4(rclone_v4, bucket, scratch):
    up = scratch / "up"
    _make_tree(up, 20)
    rclone_v4("copy", str(up), f"remote:{bucket}")
    rclone_v4("check", str(up), f"remote:{bucket}")


def test_lsd_lists_buckets_and_mkdir_purge_manage_them(rclone, bucket_name):
    rclone("mkdir", f"remote:{bucket_name}")
    assert bucket_name in rclone("lsd", "remote:").stdout
    rclone("purge", f"remote:{bucket_name}")
    assert bucket_name not in rclone("lsd", "remote:").stdout


def test_sync_deletes_remote_files_missing_locally(rclone, s3, bucket, scratch):
    up = scratch / "up"
    _make_tree(up, 10)
    rclone("sync", str(up), f"remote:{bucket}")
    (up / "d0" / "file 0+é.bin").unlink()
    rclone("sync", str(up), f"remote:{bucket}")
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert keys == set(_tree(up))
