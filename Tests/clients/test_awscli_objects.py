"""Object operations through aws-cli: `aws s3 cp/sync/ls/rm` and `aws s3api`."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from clientlib import md5_hex


def _md5_file(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): _md5_file(p) for p in root.rglob("*") if p.is_file()}


def test_cp_uploads_and_downloads_a_multi_mib_file_with_the_same_md5(awscli, bucket, scratch):
    source = scratch / "big.bin"
    source.write_bytes(os.urandom(7 * 1024 * 1024 + 17))
    awscli("s3", "cp", str(source), f"s3://{bucket}/dir/big.bin")
    target = scratch / "back.bin"
    awscli("s3", "cp", f"s3://{bucket}/dir/big.bin", str(target))
    assert _md5_file(target) == _md5_file(source)


def test_cp_of_a_small_file_keeps_content_type_and_metadata(awscli, s3, bucket, scratch):
    source = scratch / "page.html"
    source.write_text("<p>hi</p>")
    awscli("s3", "cp", str(source), f"s3://{bucket}/page.html", "--metadata", "owner=me,kind=page",
           "--content-type", "text/html")
    head = s3.head_object(Bucket=bucket, Key="page.html")
    assert head["ContentType"] == "text/html"
    assert head["Metadata"] == {"owner": "me", "kind": "page"}


def test_sync_of_500_small_files_up_and_back_down_is_identical(awscli, bucket, scratch):
    up = scratch / "up"
    for i in range(500):
        path = up / f"dir{i % 7}" / f"file {i:03d}+x.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(i % 300 + 1))
    awscli("s3", "sync", str(up), f"s3://{bucket}/tree")
    listing = awscli("s3", "ls", "--recursive", f"s3://{bucket}/tree/").stdout
    assert len([line for line in listing.splitlines() if line.strip()]) == 500
    # A second sync has nothing to do.
    again = awscli("s3", "sync", str(up), f"s3://{bucket}/tree")
    assert "upload:" not in again.stdout
    down = scratch / "down"
    awscli("s3", "sync", f"s3://{bucket}/tree", str(down))
    assert _tree(down) == _tree(up)


def test_rm_recursive_removes_every_key_under_the_prefix_only(awscli, s3, bucket):
    for key in ["a/1", "a/2", "a/b/3", "ab", "c/4"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    awscli("s3", "rm", "--recursive", f"s3://{bucket}/a/")
    left = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"])
    assert left == ["ab", "c/4"]


def test_ls_recursive_shows_sizes_and_keys(awscli, s3, bucket):
    s3.put_object(Bucket=bucket, Key="x/y/z.txt", Body=b"12345")
    s3.put_object(Bucket=bucket, Key="top.txt", Body=b"1")
    lines = awscli("s3", "ls", "--recursive", f"s3://{bucket}").stdout.splitlines()
    entries = sorted((line.split()[2], line.split()[3]) for line in lines if line.strip())
    assert entries == [("1", "top.txt"), ("5", "x/y/z.txt")]
    folders = awscli("s3", "ls", f"s3://{bucket}/").stdout
    assert "PRE x/" in folders


def test_s3api_put_object_get_object_with_range_and_head_object(awscli, bucket, scratch):
    source = scratch / "digits"
    source.write_bytes(b"0123456789abcdefghijklmnopqrstuvwxyz")
    put = json.loads(awscli("s3api", "put-object", "--bucket", bucket, "--key", "digits",
                            "--body", str(source)).stdout)
    assert put["ETag"] == f'"{_md5_file(source)}"'
    out = scratch / "part"
    got = json.loads(awscli("s3api", "get-object", "--bucket", bucket, "--key", "digits",
                            "--range", "bytes=10-19", str(out)).stdout)
    assert out.read_bytes() == b"abcdefghij"
    assert got["ContentRange"] == "bytes 10-19/36"
    head = json.loads(awscli("s3api", "head-object", "--bucket", bucket, "--key", "digits").stdout)
    assert head["ContentLength"] == 36 and head["ETag"] == put["ETag"]


def test_s3api_head_object_of_a_missing_key_is_404(awscli, bucket):
    out = awscli("s3api", "head-object", "--bucket", bucket, "--key", "missing", check=False)
    assert out.returncode != 0 and "404" in out.stderr, out.stderr


def test_s3api_copy_object_copies_body_and_replaces_metadata(awscli, s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"copy me", Metadata={"a": "1"})
    awscli("s3api", "copy-object", "--bucket", bucket, "--key", "dst", "--copy-source", f"{bucket}/src",
           "--metadata-directive", "REPLACE", "--metadata", "b=2")
    got = s3.get_object(Bucket=bucket, Key="dst")
    assert got["Body"].read() == b"copy me"
    assert got["Metadata"] == {"b": "2"}


def test_s3api_delete_objects_deletes_the_listed_keys(awscli, s3, bucket):
    for i in range(5):
        s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b"x")
    request = json.dumps({"Objects": [{"Key": "k0"}, {"Key": "k2"}, {"Key": "k4"}]})
    result = json.loads(awscli("s3api", "delete-objects", "--bucket", bucket, "--delete", request).stdout)
    assert sorted(d["Key"] for d in result["Deleted"]) == ["k0", "k2", "k4"]
    left = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"])
    assert left == ["k1", "k3"]


def test_cp_round_trips_hostile_keys(awscli, s3, bucket, scratch):
    source = scratch / "f"
    source.write_bytes(b"hostile")
    for key in ["sp ace/plus+per%cent", "unicodé/日本", "a//b"]:
        awscli("s3", "cp", str(source), f"s3://{bucket}/{key}")
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"hostile"
        target = scratch / "back"
        awscli("s3", "cp", f"s3://{bucket}/{key}", str(target))
        assert target.read_bytes() == b"hostile"


def test_s3_cp_between_keys_on_the_server(awscli, s3, bucket):
    s3.put_object(Bucket=bucket, Key="one", Body=b"server side")
    awscli("s3", "cp", f"s3://{bucket}/one", f"s3://{bucket}/two")
    assert s3.get_object(Bucket=bucket, Key="two")["Body"].read() == b"server side"
    assert md5_hex(b"server side") in s3.head_object(Bucket=bucket, Key="two")["ETag"]
