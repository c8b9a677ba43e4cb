"""Versioned buckets through real clients: aws-cli's s3api version commands, boto3's resource
API (`Bucket.object_versions`), rclone's `--s3-versions`, s3cmd; versions made by
CompleteMultipartUpload and UploadPartCopy from a version; base62 version IDs; and the
zero-length PUT that used to poison boto3's keep-alive connection."""

from __future__ import annotations

import json
import re
import socket
import uuid

import boto3
from botocore.config import Config

from clientlib import ACCOUNT1, REGION, sigv4_headers
from conftest import purge_versions
from test_versioning_support import HEX_VERSION_ID, all_versions, answer, live_keys, set_versioning, signed

PART = 5 * 1024 * 1024


def put(s3, bucket: str, key: str, body: bytes) -> str | None:
    return s3.put_object(Bucket=bucket, Key=key, Body=body).get("VersionId")


# --- aws-cli -----------------------------------------------------------------------------------

def test_awscli_versions_put_list_get_and_delete_by_version_id(awscli, s3, bucket_name, scratch):
    awscli("s3api", "create-bucket", "--bucket", bucket_name)
    try:
        awscli("s3api", "put-bucket-versioning", "--bucket", bucket_name,
               "--versioning-configuration", "Status=Enabled")
        got = json.loads(awscli("s3api", "get-bucket-versioning", "--bucket", bucket_name).stdout)
        assert got["Status"] == "Enabled"
        ids = []
        for body in (b"first", b"second"):
            (scratch / "f").write_bytes(body)
            out = json.loads(awscli("s3api", "put-object", "--bucket", bucket_name, "--key", "k",
                                    "--body", str(scratch / "f")).stdout)
            assert HEX_VERSION_ID.match(out["VersionId"]), out
            ids.append(out["VersionId"])
        listed = json.loads(awscli("s3api", "list-object-versions", "--bucket", bucket_name).stdout)
        assert [(v["Key"], v["VersionId"], v["IsLatest"]) for v in listed["Versions"]] == [
            ("k", ids[1], True), ("k", ids[0], False)]
        assert "DeleteMarkers" not in listed or listed["DeleteMarkers"] == []

        out = json.loads(awscli("s3api", "get-object", "--bucket", bucket_name, "--key", "k",
                                "--version-id", ids[0], str(scratch / "old")).stdout)
        assert out["VersionId"] == ids[0]
        assert (scratch / "old").read_bytes() == b"first"

        out = json.loads(awscli("s3api", "delete-object", "--bucket", bucket_name, "--key", "k").stdout)
        assert out["DeleteMarker"] is True and HEX_VERSION_ID.match(out["VersionId"])
        marker = out["VersionId"]
        listed = json.loads(awscli("s3api", "list-object-versions", "--bucket", bucket_name).stdout)
        assert [(m["VersionId"], m["IsLatest"]) for m in listed["DeleteMarkers"]] == [(marker, True)]
        assert all(not v["IsLatest"] for v in listed["Versions"])
        missing = awscli("s3api", "get-object", "--bucket", bucket_name, "--key", "k",
                         str(scratch / "gone"), check=False)
        assert missing.returncode != 0 and "NoSuchKey" in missing.stderr

        out = json.loads(awscli("s3api", "delete-object", "--bucket", bucket_name, "--key", "k",
                                "--version-id", marker).stdout)
        assert out == {"DeleteMarker": True, "VersionId": marker} or (
            out.get("DeleteMarker") is True and out.get("VersionId") == marker)
        out = json.loads(awscli("s3api", "delete-object", "--bucket", bucket_name, "--key", "k",
                                "--version-id", ids[1]).stdout)
        assert out["VersionId"] == ids[1] and "DeleteMarker" not in out
        awscli("s3api", "get-object", "--bucket", bucket_name, "--key", "k", str(scratch / "now"))
        assert (scratch / "now").read_bytes() == b"first"

        refused = awscli("s3api", "delete-bucket", "--bucket", bucket_name, check=False)
        assert refused.returncode != 0 and "BucketNotEmpty" in refused.stderr
    finally:
        purge_versions(s3, bucket_name)


# --- boto3's resource API ------------------------------------------------------------------------

def test_boto3_bucket_object_versions_lists_and_deletes_every_version(server, s3, bucket_name):
    resource = boto3.session.Session().resource(
        "s3", endpoint_url=server.endpoint, aws_access_key_id=ACCOUNT1[0],
        aws_secret_access_key=ACCOUNT1[1], region_name=REGION,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
    bucket = resource.Bucket(bucket_name)
    bucket.create()
    try:
        bucket.Versioning().enable()
        a1 = bucket.put_object(Key="dir/a", Body=b"a1").version_id
        a2 = bucket.put_object(Key="dir/a", Body=b"a2").version_id
        b1 = bucket.put_object(Key="b", Body=b"b1").version_id
        marker = bucket.Object("b").delete()["VersionId"]
        seen = [(v.object_key, v.id, v.is_latest) for v in bucket.object_versions.all()]
        assert sorted(seen) == sorted([("b", b1, False), ("b", marker, True),
                                       ("dir/a", a2, True), ("dir/a", a1, False)])
        assert [v.id for v in bucket.object_versions.filter(Prefix="dir/")] == [a2, a1]
        # One entry a page keeps the server's order: by key, newest first.
        assert [v.id for v in bucket.object_versions.page_size(1).all()] == [marker, b1, a2, a1]
        assert bucket.Object("dir/a").version_id == a2
        assert resource.ObjectVersion(bucket_name, "dir/a", a1).get()["Body"].read() == b"a1"
        bucket.object_versions.delete()
        assert list(bucket.object_versions.all()) == []
        bucket.delete()
    finally:
        purge_versions(s3, bucket_name)


# --- rclone ---------------------------------------------------------------------------------

def test_rclone_s3_versions_lists_old_versions_beside_the_current_one(rclone, s3, versioned_bucket):
    put(s3, versioned_bucket, "notes.txt", b"old text")
    put(s3, versioned_bucket, "notes.txt", b"new text!")
    put(s3, versioned_bucket, "gone.txt", b"deleted later")
    s3.delete_object(Bucket=versioned_bucket, Key="gone.txt")
    plain = rclone("lsf", f"remote:{versioned_bucket}").stdout.split()
    assert plain == ["notes.txt"]
    listed = rclone("ls", "--s3-versions", f"remote:{versioned_bucket}").stdout.splitlines()
    entries = sorted((int(line.split()[0]), line.split(None, 1)[1]) for line in listed if line.strip())
    names = [name for _, name in entries]
    assert ("notes.txt" in names) and (9, "notes.txt") in entries, entries
    old = [(size, name) for size, name in entries
           if re.fullmatch(r"notes-v\d{4}-\d{2}-\d{2}-\d{6}-\d{3}\.txt", name)]
    assert [size for size, _ in old] == [8], entries
    gone = [name for _, name in entries if name.startswith("gone-v")]
    assert len(gone) == 1, entries
    # An old version is readable by its versioned name.
    got = rclone("cat", "--s3-versions", f"remote:{versioned_bucket}/{old[0][1]}").stdout
    assert got == "old text"


# --- s3cmd ----------------------------------------------------------------------------------

def test_s3cmd_on_a_versioned_bucket_hides_deleted_keys_and_keeps_their_versions(
        s3cmd, s3, versioned_bucket, scratch):
    source = scratch / "doc.txt"
    for text in (b"one", b"two"):
        source.write_bytes(text)
        s3cmd("put", str(source), f"s3://{versioned_bucket}/doc.txt")
    listed = s3cmd("ls", f"s3://{versioned_bucket}/").stdout
    assert "doc.txt" in listed
    s3cmd("get", "--force", f"s3://{versioned_bucket}/doc.txt", str(scratch / "back.txt"))
    assert (scratch / "back.txt").read_bytes() == b"two"
    s3cmd("del", f"s3://{versioned_bucket}/doc.txt")
    assert "doc.txt" not in s3cmd("ls", f"s3://{versioned_bucket}/").stdout
    entries = all_versions(s3, versioned_bucket)
    assert [(e.delete_marker, e.is_latest) for e in entries] == [(True, True), (False, False), (False, False)]
    refused = s3cmd("rb", f"s3://{versioned_bucket}", check=False)
    assert refused.returncode != 0 and "BucketNotEmpty" in (refused.stdout + refused.stderr)


# --- CompleteMultipartUpload and UploadPartCopy ----------------------------------------------

def complete_upload(s3, bucket: str, key: str, parts: list[bytes]) -> dict:
    upload = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    done = []
    for number, data in enumerate(parts, start=1):
        etag = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=number, Body=data)["ETag"]
        done.append({"PartNumber": number, "ETag": etag})
    return s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload,
                                        MultipartUpload={"Parts": done})


def test_complete_multipart_upload_makes_a_new_version_and_names_it(s3, versioned_bucket):
    first = put(s3, versioned_bucket, "big", b"small first")
    done = complete_upload(s3, versioned_bucket, "big", [b"x" * PART, b"tail"])
    assert HEX_VERSION_ID.match(done["VersionId"]) and done["VersionId"] != first, done
    entries = all_versions(s3, versioned_bucket)
    assert [(e.version_id, e.is_latest, e.size) for e in entries] == [
        (done["VersionId"], True, PART + 4), (first, False, 11)]
    got = s3.head_object(Bucket=versioned_bucket, Key="big")
    assert got["VersionId"] == done["VersionId"]


def test_complete_multipart_upload_in_a_suspended_bucket_replaces_the_null_version(s3, plain_bucket):
    put(s3, plain_bucket, "big", b"pre-versioning")
    set_versioning(s3, plain_bucket, "Enabled")
    kept = put(s3, plain_bucket, "big", b"enabled")
    set_versioning(s3, plain_bucket, "Suspended")
    done = complete_upload(s3, plain_bucket, "big", [b"p" * 10])
    assert done["VersionId"] == "null"
    entries = all_versions(s3, plain_bucket)
    assert [(e.version_id, e.is_latest, e.size) for e in entries] == [("null", True, 10), (kept, False, 7)]


def test_complete_multipart_upload_in_a_never_versioned_bucket_names_no_version(s3, bucket):
    done = complete_upload(s3, bucket, "big", [b"q" * 3])
    assert "VersionId" not in done


def test_complete_multipart_upload_with_a_version_id_in_the_query_is_400(s3, versioned_bucket):
    upload = s3.create_multipart_upload(Bucket=versioned_bucket, Key="big")["UploadId"]
    etag = s3.upload_part(Bucket=versioned_bucket, Key="big", UploadId=upload, PartNumber=1, Body=b"p")["ETag"]
    body = (f"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{etag}</ETag></Part>"
            "</CompleteMultipartUpload>").encode()
    ans = signed(s3, "POST", versioned_bucket, "big", query={"uploadId": upload, "versionId": "null"}, body=body)
    assert (ans.status, ans.code) == (400, "InvalidArgument"), ans
    done = s3.complete_multipart_upload(Bucket=versioned_bucket, Key="big", UploadId=upload,
                                        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert HEX_VERSION_ID.match(done["VersionId"])


def test_upload_part_copy_copies_the_named_version(s3, versioned_bucket):
    v1 = put(s3, versioned_bucket, "src", b"A" * PART)
    put(s3, versioned_bucket, "src", b"B" * PART)
    upload = s3.create_multipart_upload(Bucket=versioned_bucket, Key="dst")["UploadId"]
    got = s3.upload_part_copy(Bucket=versioned_bucket, Key="dst", UploadId=upload, PartNumber=1,
                              CopySource={"Bucket": versioned_bucket, "Key": "src", "VersionId": v1})
    assert got["CopySourceVersionId"] == v1
    etag = got["CopyPartResult"]["ETag"]
    s3.complete_multipart_upload(Bucket=versioned_bucket, Key="dst", UploadId=upload,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    body = s3.get_object(Bucket=versioned_bucket, Key="dst")["Body"].read()
    assert body == b"A" * PART


def test_upload_part_copy_from_a_delete_marker_by_version_id_is_400(s3, versioned_bucket):
    put(s3, versioned_bucket, "src", b"data")
    marker = s3.delete_object(Bucket=versioned_bucket, Key="src")["VersionId"]
    upload = s3.create_multipart_upload(Bucket=versioned_bucket, Key="dst")["UploadId"]
    ans = answer(s3.upload_part_copy, Bucket=versioned_bucket, Key="dst", UploadId=upload, PartNumber=1,
                 CopySource={"Bucket": versioned_bucket, "Key": "src", "VersionId": marker})
    assert (ans.status, ans.code) == (400, "InvalidRequest"), ans
    latest = answer(s3.upload_part_copy, Bucket=versioned_bucket, Key="dst", UploadId=upload, PartNumber=1,
                    CopySource={"Bucket": versioned_bucket, "Key": "src"})
    assert (latest.status, latest.code) == (404, "NoSuchKey"), latest
    s3.abort_multipart_upload(Bucket=versioned_bucket, Key="dst", UploadId=upload)


def test_upload_part_copy_from_a_never_versioned_source_names_no_version(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"plain")
    upload = s3.create_multipart_upload(Bucket=bucket, Key="dst")["UploadId"]
    got = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=upload, PartNumber=1,
                              CopySource={"Bucket": bucket, "Key": "src"})
    assert "CopySourceVersionId" not in got
    s3.abort_multipart_upload(Bucket=bucket, Key="dst", UploadId=upload)


# --- an empty PUT then another on one keep-alive connection -----------------------------------

def test_an_empty_put_does_not_poison_boto3s_connection_for_the_next_put(server, versioned_bucket):
    # botocore sends `Expect: 100-continue` even for empty bodies; a server that answers those
    # without `100 Continue` leaves botocore parsing the next response on that connection with
    # a stale status line (boto/botocore#3755): a long stall, then a silent retry that wrote
    # the object twice. One connection, no retries, a short read timeout: that now fails.
    s3 = server.client(max_pool_connections=1, read_timeout=10)
    ids = []
    for body in (b"", b"after the empty one", b"", b"x"):
        ids.append(s3.put_object(Bucket=versioned_bucket, Key="k", Body=body)["VersionId"])
    entries = all_versions(s3, versioned_bucket)
    assert [e.version_id for e in entries] == list(reversed(ids))


def test_a_zero_length_put_with_expect_continue_gets_100_continue_first(server, bucket):
    url = f"{server.endpoint}/{bucket}/empty"
    headers = sigv4_headers("PUT", url, {"content-length": "0", "expect": "100-continue"})
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"PUT /{bucket}/empty HTTP/1.1\r\n{head}\r\n".encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while data.count(b"\r\n\r\n") < 2:
            chunk = sock.recv(65536)
            assert chunk, data
            data += chunk
    assert data.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"), data


# --- base62 version IDs ---------------------------------------------------------------------

def test_base62_version_ids_are_32_characters_and_address_versions(restartable_server):
    srv = restartable_server("base62", extra_env={"S3_VERSION_ID_ENCODING_TYPE": "base62"}).start()
    s3 = srv.client()
    name = f"t-base62-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    set_versioning(s3, name, "Enabled")
    ids = [put(s3, name, "k", body) for body in (b"one", b"two", b"three")]
    assert all(re.fullmatch(r"[0-9A-Za-z]{32}", i) for i in ids), ids
    assert len(set(ids)) == 3
    assert s3.get_object(Bucket=name, Key="k", VersionId=ids[0])["Body"].read() == b"one"
    assert [e.version_id for e in all_versions(s3, name, page_size=1)] == list(reversed(ids))
    bad = answer(s3.get_object, Bucket=name, Key="k", VersionId="0" * 31 + "!")
    assert (bad.status, bad.code) == (400, "InvalidArgument"), bad
    marker = s3.delete_object(Bucket=name, Key="k")["VersionId"]
    assert re.fullmatch(r"[0-9A-Za-z]{32}", marker)
    assert live_keys(s3, name) == []
    srv.stop()
