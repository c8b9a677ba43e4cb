"""aws_s3 locations (docs 3.2, 5.1.1, 7.4.2) on real peers started by the tests: SeaweedFS, which
checks every signature, and moto, which records what it is sent. Data must land in the remote
bucket, come back byte for byte, and leave no remote version behind that nothing references."""

from __future__ import annotations

import hashlib
import json
import os
import urllib.request

import pytest
from botocore.exceptions import ClientError

from clientlib import md5_hex
from conftest import AwsCli, S3cmd, _unique_name, purge_versions
from gatewaylib import (aws_location, eventually_versions, gateway_server, local_data_bytes, remote_keys,
                        remote_versions)
from peers import REMOTE_KEYS

VERSIONED = "gateway-versioned"
PLAIN = "gateway-plain"
MOTO = "gateway-moto"
MIB = 1 << 20


@pytest.fixture(scope="module")
def gateway(seaweedfs, moto, tmp_path_factory):
    """One server for the module: aws_s3 locations on SeaweedFS (a versioned bucket, named as
    the keys or prefixed by the local bucket, keys inline or from a profile; a bucket without
    versioning; wrong keys) and on moto (with server-side encryption)."""
    locations = {
        "aws-test": aws_location(seaweedfs.port, VERSIONED, bucket_match=True),
        "aws-prefixed": aws_location(seaweedfs.port, VERSIONED, bucket_match=False, profile="remote"),
        "aws-plain": aws_location(seaweedfs.port, PLAIN, bucket_match=False),
        "aws-sse": aws_location(moto.port, MOTO, bucket_match=False, serverSideEncryption=True),
        "aws-badkey": aws_location(seaweedfs.port, VERSIONED, bucket_match=False,
                                   credentials=(REMOTE_KEYS[0], "not-the-secret")),
    }
    server = gateway_server(tmp_path_factory.mktemp("gateway"), locations)
    yield server
    assert server.stop() == 0, server.log_tail()


@pytest.fixture
def gs3(gateway):
    return gateway.client()


@pytest.fixture
def make_bucket(gs3, request):
    """Creates local buckets in a location; every version is removed after the test."""
    made = []

    def make(location: str, versioned: bool = False) -> str:
        name = _unique_name(request, "g")
        gs3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": location})
        if versioned:
            gs3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        made.append(name)
        return name

    yield make
    for name in made:
        purge_versions(gs3, name)


def test_the_manuals_s3cmd_recipe_puts_the_data_in_the_remote_bucket(gateway, seaweedfs, tmp_path):
    s3cmd = S3cmd(gateway, tmp_path / "s3cfg")
    hosts = open("/etc/hosts", "rb").read()
    s3cmd("mb", "s3://zenkobucket", "--region=aws-test")
    try:
        s3cmd("put", "/etc/hosts", "s3://zenkobucket/testput")
        listing = s3cmd("ls", "s3://zenkobucket").stdout
        assert "s3://zenkobucket/testput" in listing and f" {len(hosts)} " in listing
        remote = seaweedfs.client().get_object(Bucket=VERSIONED, Key="testput")
        assert remote["Body"].read() == hosts
        assert "s3cmd-attrs" in remote["Metadata"]
        s3cmd("get", "s3://zenkobucket/testput", str(tmp_path / "back"))
        assert (tmp_path / "back").read_bytes() == hosts
    finally:
        s3cmd("del", "s3://zenkobucket/testput", check=False)
        s3cmd("rb", "s3://zenkobucket", check=False)
    assert remote_versions(seaweedfs, VERSIONED, "testput") == []


def test_awscli_copies_200_mib_up_and_back_through_a_remote_multipart_upload(
        gateway, gs3, seaweedfs, make_bucket, tmp_path):
    bucket = make_bucket("aws-prefixed")
    source = tmp_path / "big.bin"
    digest = hashlib.md5()
    with open(source, "wb") as out:
        for _ in range(200):
            block = os.urandom(MIB)
            digest.update(block)
            out.write(block)
    before = local_data_bytes(gateway)
    aws = AwsCli(gateway, tmp_path / "aws")
    aws("s3", "cp", "--only-show-errors", str(source), f"s3://{bucket}/big.bin", timeout=600)
    # The parts went straight to the remote: nothing of them was stored here.
    assert local_data_bytes(gateway) - before < 4 * MIB
    remote = seaweedfs.client().head_object(Bucket=VERSIONED, Key=f"{bucket}/big.bin")
    assert remote["ContentLength"] == 200 * MIB
    local = gs3.head_object(Bucket=bucket, Key="big.bin")
    assert local["ETag"] == remote["ETag"] and local["ETag"].endswith('-25"')
    aws("s3", "cp", "--only-show-errors", f"s3://{bucket}/big.bin", str(tmp_path / "back.bin"), timeout=600)
    back = hashlib.md5()
    with open(tmp_path / "back.bin", "rb") as data:
        for block in iter(lambda: data.read(MIB), b""):
            back.update(block)
    assert back.hexdigest() == digest.hexdigest()


def test_ranges_are_read_from_the_remote(gs3, make_bucket):
    bucket = make_bucket("aws-test")
    body = os.urandom(MIB + 17)
    key = f"{bucket}-ranged"
    gs3.put_object(Bucket=bucket, Key=key, Body=body)
    for header, expected in [("bytes=0-0", body[:1]), ("bytes=100-199", body[100:200]),
                             ("bytes=-500", body[-500:]), (f"bytes={MIB}-", body[MIB:]),
                             (f"bytes=5-{2 * MIB}", body[5:])]:
        got = gs3.get_object(Bucket=bucket, Key=key, Range=header)
        assert got["Body"].read() == expected, header
        assert got["ContentLength"] == len(expected)
    with pytest.raises(ClientError) as refused:
        gs3.get_object(Bucket=bucket, Key=key, Range=f"bytes={2 * MIB}-")
    assert refused.value.response["Error"]["Code"] == "InvalidRange"


def test_delete_removes_the_remote_version(gs3, seaweedfs, make_bucket):
    bucket = make_bucket("aws-test")
    key = f"{bucket}-doomed"
    gs3.put_object(Bucket=bucket, Key=key, Body=b"soon gone")
    assert len(remote_versions(seaweedfs, VERSIONED, key)) == 1
    gs3.delete_object(Bucket=bucket, Key=key)
    assert remote_versions(seaweedfs, VERSIONED, key) == []
    with pytest.raises(ClientError):
        gs3.head_object(Bucket=bucket, Key=key)


def test_an_overwrite_in_a_non_versioned_bucket_deletes_the_old_remote_version(gs3, seaweedfs, make_bucket):
    bucket = make_bucket("aws-test")
    key = f"{bucket}-rewritten"
    gs3.put_object(Bucket=bucket, Key=key, Body=b"first")
    gs3.put_object(Bucket=bucket, Key=key, Body=b"second")
    versions = eventually_versions(seaweedfs, VERSIONED, key, 1)
    assert len(versions) == 1
    remote = seaweedfs.client().get_object(Bucket=VERSIONED, Key=key, VersionId=versions[0]["VersionId"])
    assert remote["Body"].read() == b"second"
    assert gs3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"second"


def test_an_overwrite_in_a_versioned_bucket_keeps_one_remote_version_per_version(gs3, seaweedfs, make_bucket):
    bucket = make_bucket("aws-test", versioned=True)
    key = f"{bucket}-kept"
    v1 = gs3.put_object(Bucket=bucket, Key=key, Body=b"one")["VersionId"]
    v2 = gs3.put_object(Bucket=bucket, Key=key, Body=b"two")["VersionId"]
    assert len(remote_versions(seaweedfs, VERSIONED, key)) == 2
    assert gs3.get_object(Bucket=bucket, Key=key, VersionId=v1)["Body"].read() == b"one"
    gs3.delete_object(Bucket=bucket, Key=key)  # a delete marker frees no data
    assert len(remote_versions(seaweedfs, VERSIONED, key)) == 2
    gs3.delete_object(Bucket=bucket, Key=key, VersionId=v1)
    remaining = remote_versions(seaweedfs, VERSIONED, key)
    assert len(remaining) == 1
    assert gs3.get_object(Bucket=bucket, Key=key, VersionId=v2)["Body"].read() == b"two"
    remote = seaweedfs.client().get_object(Bucket=VERSIONED, Key=key, VersionId=remaining[0]["VersionId"])
    assert remote["Body"].read() == b"two"


def test_without_bucket_match_remote_names_start_with_the_local_bucket(gs3, seaweedfs, make_bucket):
    bucket = make_bucket("aws-prefixed")  # keys from the credentials profile
    gs3.put_object(Bucket=bucket, Key="dir/a b+c.txt", Body=b"prefixed")
    assert remote_keys(seaweedfs, VERSIONED, f"{bucket}/") == [f"{bucket}/dir/a b+c.txt"]
    assert gs3.get_object(Bucket=bucket, Key="dir/a b+c.txt")["Body"].read() == b"prefixed"
    assert gs3.get_bucket_location(Bucket=bucket)["LocationConstraint"] == "aws-prefixed"


def test_the_object_header_chooses_the_location_and_an_unknown_one_is_refused(gs3, seaweedfs, make_bucket):
    bucket = make_bucket("us-east-2")
    key = f"{bucket}-placed"
    gs3.put_object(Bucket=bucket, Key=key, Body=b"elsewhere",
                   Metadata={"scal-location-constraint": "aws-test"})
    assert remote_keys(seaweedfs, VERSIONED, key) == [key]
    assert gs3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"elsewhere"
    gs3.put_object(Bucket=bucket, Key="local", Body=b"here")
    assert remote_keys(seaweedfs, VERSIONED, f"{bucket}-local") == []
    with pytest.raises(ClientError) as refused:
        gs3.put_object(Bucket=bucket, Key="lost", Body=b"x", Metadata={"scal-location-constraint": "nowhere"})
    error = refused.value.response["Error"]
    assert error["Code"] == "InvalidArgument"
    assert 'Object Location Error - Your object location "nowhere"' in error["Message"]


def test_copies_stream_bytes_between_locations(gs3, seaweedfs, make_bucket):
    local = make_bucket("us-east-2")
    remote = make_bucket("aws-prefixed")
    body = os.urandom(3 * MIB + 5)
    gs3.put_object(Bucket=local, Key="src", Body=body)
    gs3.copy_object(Bucket=remote, Key="up", CopySource={"Bucket": local, "Key": "src"})
    assert seaweedfs.client().get_object(Bucket=VERSIONED, Key=f"{remote}/up")["Body"].read() == body
    gs3.copy_object(Bucket=local, Key="down", CopySource={"Bucket": remote, "Key": "up"})
    assert gs3.get_object(Bucket=local, Key="down")["Body"].read() == body
    gs3.copy_object(Bucket=remote, Key="across", CopySource={"Bucket": remote, "Key": "up"},
                    MetadataDirective="REPLACE", Metadata={"k": "v"})
    got = gs3.get_object(Bucket=remote, Key="across")
    assert got["Body"].read() == body and got["Metadata"] == {"k": "v"}
    assert got["ETag"] == f'"{md5_hex(body)}"'


def test_upload_part_copy_from_the_same_remote_and_from_a_file_location(gs3, make_bucket):
    local = make_bucket("us-east-2")
    remote = make_bucket("aws-prefixed")
    first, second = os.urandom(6 * MIB), os.urandom(MIB + 3)
    gs3.put_object(Bucket=remote, Key="remote-src", Body=first)
    gs3.put_object(Bucket=local, Key="local-src", Body=second)
    upload = gs3.create_multipart_upload(Bucket=remote, Key="joined")["UploadId"]
    p1 = gs3.upload_part_copy(Bucket=remote, Key="joined", UploadId=upload, PartNumber=1,
                              CopySource={"Bucket": remote, "Key": "remote-src"})["CopyPartResult"]["ETag"]
    p2 = gs3.upload_part_copy(Bucket=remote, Key="joined", UploadId=upload, PartNumber=2,
                              CopySource={"Bucket": local, "Key": "local-src"},
                              CopySourceRange=f"bytes=1-{MIB + 2}")["CopyPartResult"]["ETag"]
    assert p1 == f'"{md5_hex(first)}"' and p2 == f'"{md5_hex(second[1:])}"'
    done = gs3.complete_multipart_upload(
        Bucket=remote, Key="joined", UploadId=upload,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": p1}, {"PartNumber": 2, "ETag": p2}]})
    expected = hashlib.md5(bytes.fromhex(md5_hex(first)) + bytes.fromhex(md5_hex(second[1:]))).hexdigest()
    assert done["ETag"] == f'"{expected}-2"'
    assert gs3.get_object(Bucket=remote, Key="joined")["Body"].read() == first + second[1:]
    assert gs3.get_object(Bucket=remote, Key="joined", PartNumber=2)["Body"].read() == second[1:]


def test_abort_drops_the_remote_upload(gs3, seaweedfs, make_bucket):
    bucket = make_bucket("aws-prefixed")
    upload = gs3.create_multipart_upload(Bucket=bucket, Key="dropped")["UploadId"]
    gs3.upload_part(Bucket=bucket, Key="dropped", UploadId=upload, PartNumber=1, Body=os.urandom(MIB))

    def remote_uploads():
        listing = seaweedfs.client().list_multipart_uploads(Bucket=VERSIONED, Prefix=f"{bucket}/")
        return [u["Key"] for u in listing.get("Uploads", [])]

    assert remote_uploads() == [f"{bucket}/dropped"]
    gs3.abort_multipart_upload(Bucket=bucket, Key="dropped", UploadId=upload)
    assert remote_uploads() == []
    assert gs3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_content_headers_and_user_metadata_go_along(gs3, seaweedfs, make_bucket):
    bucket = make_bucket("aws-prefixed")
    gs3.put_object(Bucket=bucket, Key="described", Body=b"<p>hi</p>", ContentType="text/html",
                   CacheControl="max-age=60", ContentDisposition="inline", Metadata={"color": "blue"})
    remote = seaweedfs.client().head_object(Bucket=VERSIONED, Key=f"{bucket}/described")
    assert remote["ContentType"] == "text/html"
    assert remote["CacheControl"] == "max-age=60"
    assert remote["Metadata"] == {"color": "blue"}
    local = gs3.head_object(Bucket=bucket, Key="described")
    assert local["ContentType"] == "text/html" and local["Metadata"] == {"color": "blue"}


def test_a_remote_bucket_without_versioning_never_loses_the_newest_write(gs3, seaweedfs, make_bucket):
    bucket = make_bucket("aws-plain")
    name = f"{bucket}/k"
    gs3.put_object(Bucket=bucket, Key="k", Body=b"old bytes")
    gs3.put_object(Bucket=bucket, Key="k", Body=b"new bytes")
    assert seaweedfs.client().get_object(Bucket=PLAIN, Key=name)["Body"].read() == b"new bytes"
    # The same bytes again: the old data and the new share the remote name and ETag.
    gs3.put_object(Bucket=bucket, Key="k", Body=b"new bytes")
    assert gs3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"new bytes"
    gs3.delete_object(Bucket=bucket, Key="k")
    assert remote_keys(seaweedfs, PLAIN, name) == []


def test_server_side_encryption_is_asked_of_the_remote(gs3, moto, make_bucket):
    bucket = make_bucket("aws-sse")
    gs3.put_object(Bucket=bucket, Key="secret", Body=b"classified")
    assert moto.client().head_object(Bucket=MOTO, Key=f"{bucket}/secret")["ServerSideEncryption"] == "AES256"
    upload = gs3.create_multipart_upload(Bucket=bucket, Key="secret-mpu")["UploadId"]
    etag = gs3.upload_part(Bucket=bucket, Key="secret-mpu", UploadId=upload, PartNumber=1, Body=b"x" * 10)["ETag"]
    gs3.complete_multipart_upload(Bucket=bucket, Key="secret-mpu", UploadId=upload,
                                  MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    remote = moto.client().head_object(Bucket=MOTO, Key=f"{bucket}/secret-mpu")
    assert remote["ServerSideEncryption"] == "AES256"
    assert gs3.get_object(Bucket=bucket, Key="secret-mpu")["Body"].read() == b"x" * 10


def test_a_remote_refusing_our_keys_fails_the_write_and_records_nothing(gs3, make_bucket):
    bucket = make_bucket("aws-badkey")
    with pytest.raises(ClientError) as refused:
        gs3.put_object(Bucket=bucket, Key="refused", Body=b"never stored")
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    assert refused.value.response["Error"]["Code"] == "ServiceUnavailable"
    assert "aws-badkey" in refused.value.response["Error"]["Message"]
    assert gs3.list_objects_v2(Bucket=bucket).get("KeyCount") == 0
    with pytest.raises(ClientError) as refused_mpu:
        gs3.create_multipart_upload(Bucket=bucket, Key="refused")
    assert refused_mpu.value.response["Error"]["Code"] == "ServiceUnavailable"


def test_the_healthcheck_reports_every_location(gateway):
    with urllib.request.urlopen(f"{gateway.endpoint}/_/healthcheck", timeout=30) as answer:
        assert answer.status == 200
        states = json.loads(answer.read())
    assert states["us-east-1"] == {"code": 200, "message": "OK"}
    assert states["aws-test"] == {"code": 200, "message": "OK", "external": True}
    assert states["aws-sse"]["code"] == 200
    assert states["aws-badkey"]["code"] == 503 and states["aws-badkey"]["external"] is True
    assert "403" in states["aws-badkey"]["error"]
