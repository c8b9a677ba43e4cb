"""s3cmd with the manual's ~/.s3cfg recipe (path-style on 127.0.0.1), SigV4 and SigV2."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.md5(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


def test_mb_ls_and_rb(s3cmd, bucket_name):
    out = s3cmd("mb", f"s3://{bucket_name}")
    assert f"Bucket 's3://{bucket_name}/' created" in out.stdout
    assert f"s3://{bucket_name}" in s3cmd("ls").stdout
    out = s3cmd("rb", f"s3://{bucket_name}")
    assert f"Bucket 's3://{bucket_name}/' removed" in out.stdout
    assert f"s3://{bucket_name}" not in s3cmd("ls").stdout


def test_put_get_ls_and_del_of_an_object(s3cmd, bucket, scratch):
    source = scratch / "file.bin"
    source.write_bytes(os.urandom(3 * 1024 * 1024 + 5))
    s3cmd("put", str(source), f"s3://{bucket}/some dir/file.bin")
    listing = s3cmd("ls", f"s3://{bucket}/some dir/").stdout
    assert f"s3://{bucket}/some dir/file.bin" in listing
    target = scratch / "back.bin"
    s3cmd("get", f"s3://{bucket}/some dir/file.bin", str(target))
    assert target.read_bytes() == source.read_bytes()
    s3cmd("del", f"s3://{bucket}/some dir/file.bin")
    assert "file.bin" not in s3cmd("ls", "--recursive", f"s3://{bucket}").stdout


def test_multipart_put_of_a_file_larger_than_the_chunk_size(s3cmd, s3, bucket, scratch):
    source = scratch / "multi.bin"
    source.write_bytes(os.urandom(12 * 1024 * 1024))
    s3cmd("put", "--multipart-chunk-size-mb=5", str(source), f"s3://{bucket}/multi.bin")
    body = s3.get_object(Bucket=bucket, Key="multi.bin")["Body"].read()
    assert hashlib.md5(body).hexdigest() == hashlib.md5(source.read_bytes()).hexdigest()
    assert s3.head_object(Bucket=bucket, Key="multi.bin")["ETag"].endswith('-3"')


def test_sync_up_and_down_round_trips_a_tree(s3cmd, bucket, scratch):
    up = scratch / "up"
    for i in range(40):
        path = up / f"d{i % 3}" / f"f {i}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(i * 10 + 1))
    s3cmd("sync", str(up) + "/", f"s3://{bucket}/tree/")
    down = scratch / "down"
    down.mkdir()
    s3cmd("sync", f"s3://{bucket}/tree/", str(down) + "/")
    assert _tree(down) == _tree(up)


def test_cp_copies_on_the_server_and_info_shows_the_md5(s3cmd, s3, bucket):
    s3.put_object(Bucket=bucket, Key="orig", Body=b"s3cmd copy")
    s3cmd("cp", f"s3://{bucket}/orig", f"s3://{bucket}/copy")
    assert s3.get_object(Bucket=bucket, Key="copy")["Body"].read() == b"s3cmd copy"
    info = s3cmd("info", f"s3://{bucket}/copy").stdout
    assert hashlib.md5(b"s3cmd copy").hexdigest() in info


def test_signature_v2_put_get_ls_and_del(s3cmd_v2, bucket, scratch):
    source = scratch / "v2.txt"
    source.write_bytes(b"signed with version 2")
    s3cmd_v2("put", str(source), f"s3://{bucket}/v2 key+plus.txt")
    assert "v2 key+plus.txt" in s3cmd_v2("ls", f"s3://{bucket}").stdout
    target = scratch / "v2-back.txt"
    s3cmd_v2("get", f"s3://{bucket}/v2 key+plus.txt", str(target))
    assert target.read_bytes() == source.read_bytes()
    s3cmd_v2("del", f"s3://{bucket}/v2 key+plus.txt")


def test_signature_v2_mb_and_rb(s3cmd_v2, bucket_name):
    s3cmd_v2("mb", f"s3://{bucket_name}")
    assert f"s3://{bucket_name}" in s3cmd_v2("ls").stdout
    s3cmd_v2("rb", f"s3://{bucket_name}")


def test_rb_of_a_non_empty_bucket_reports_bucket_not_empty(s3cmd, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    out = s3cmd("rb", f"s3://{bucket}", check=False)
    assert out.returncode != 0
    assert "BucketNotEmpty" in out.stderr + out.stdout
