"""Multipart upload through real clients: aws-cli (high-level and s3api), boto3's transfer
manager, s3cmd and rclone, plus server-side UploadPartCopy between buckets."""

from __future__ import annotations

import hashlib
import json
import os

import pytest
from boto3.s3.transfer import TransferConfig

from conftest import empty_and_delete

MIB = 1 << 20


def write_random(path, size: int) -> str:
    """Writes `size` random bytes to `path`; returns their hex MD5."""
    digest = hashlib.md5()
    with open(path, "wb") as f:
        left = size
        while left:
            chunk = os.urandom(min(left, 4 * MIB))
            f.write(chunk)
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def md5_file(path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(4 * MIB), b""):
            digest.update(chunk)
    return digest.hexdigest()


def test_aws_s3_cp_of_200_mib_is_multipart_and_comes_back_identical(awscli, s3, bucket, scratch):
    source = scratch / "big.bin"
    expected = write_random(source, 200 * MIB)
    awscli("s3", "cp", str(source), f"s3://{bucket}/big.bin", timeout=600)
    head = s3.head_object(Bucket=bucket, Key="big.bin")
    assert head["ContentLength"] == 200 * MIB
    assert head["ETag"].strip('"').endswith("-25")  # aws-cli's 8 MiB parts
    back = scratch / "back.bin"
    awscli("s3", "cp", f"s3://{bucket}/big.bin", str(back), timeout=600)
    assert md5_file(back) == expected
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_aws_s3api_create_upload_list_complete_and_abort(awscli, s3, bucket, scratch):
    part1 = scratch / "p1"
    part2 = scratch / "p2"
    write_random(part1, 5 * MIB)
    write_random(part2, 1000)
    created = json.loads(awscli("s3api", "create-multipart-upload", "--bucket", bucket, "--key", "k").stdout)
    upload_id = created["UploadId"]
    etags = []
    for number, path in ((1, part1), (2, part2)):
        out = awscli("s3api", "upload-part", "--bucket", bucket, "--key", "k", "--part-number", str(number),
                     "--upload-id", upload_id, "--body", str(path)).stdout
        etags.append(json.loads(out)["ETag"])
    listed = json.loads(awscli("s3api", "list-parts", "--bucket", bucket, "--key", "k",
                               "--upload-id", upload_id).stdout)
    assert [p["PartNumber"] for p in listed["Parts"]] == [1, 2]
    assert [p["ETag"] for p in listed["Parts"]] == etags
    assert [p["Size"] for p in listed["Parts"]] == [5 * MIB, 1000]
    parts = {"Parts": [{"PartNumber": n + 1, "ETag": e} for n, e in enumerate(etags)]}
    done = json.loads(awscli("s3api", "complete-multipart-upload", "--bucket", bucket, "--key", "k",
                             "--upload-id", upload_id, "--multipart-upload", json.dumps(parts)).stdout)
    assert done["ETag"].strip('"').endswith("-2")
    assert done["Key"] == "k"
    body = s3.get_object(Bucket=bucket, Key="k")["Body"].read()
    assert body == part1.read_bytes() + part2.read_bytes()

    other = json.loads(awscli("s3api", "create-multipart-upload", "--bucket", bucket, "--key", "gone").stdout)
    awscli("s3api", "upload-part", "--bucket", bucket, "--key", "gone", "--part-number", "1",
           "--upload-id", other["UploadId"], "--body", str(part2))
    awscli("s3api", "abort-multipart-upload", "--bucket", bucket, "--key", "gone", "--upload-id", other["UploadId"])
    failed = awscli("s3api", "list-parts", "--bucket", bucket, "--key", "gone", "--upload-id", other["UploadId"],
                    check=False)
    assert failed.returncode != 0 and "NoSuchUpload" in failed.stderr


def test_boto3_transfer_manager_uploads_and_downloads_with_8_threads(s3, bucket, scratch):
    source = scratch / "t.bin"
    expected = write_random(source, 48 * MIB)
    config = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB, max_concurrency=8)
    s3.upload_file(str(source), bucket, "t.bin", Config=config)
    head = s3.head_object(Bucket=bucket, Key="t.bin")
    assert head["ETag"].strip('"').endswith("-10")
    part = s3.head_object(Bucket=bucket, Key="t.bin", PartNumber=3)
    assert part["PartsCount"] == 10 and part["ContentLength"] == 5 * MIB
    back = scratch / "t.back"
    s3.download_file(bucket, "t.bin", str(back), Config=config)
    assert md5_file(back) == expected


def test_s3cmd_put_with_5_mib_chunks(s3cmd, s3, bucket, scratch):
    source = scratch / "s.bin"
    expected = write_random(source, 12 * MIB)
    s3cmd("put", "--multipart-chunk-size-mb=5", str(source), f"s3://{bucket}/s.bin")
    head = s3.head_object(Bucket=bucket, Key="s.bin")
    assert head["ETag"].strip('"').endswith("-3")
    back = scratch / "s.back"
    s3cmd("get", f"s3://{bucket}/s.bin", str(back))
    assert md5_file(back) == expected


def test_rclone_copies_a_60_mib_file_in_parts(rclone_v4, s3, bucket, scratch):
    directory = scratch / "rc"
    directory.mkdir()
    expected = write_random(directory / "r.bin", 60 * MIB)
    rclone_v4("copy", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M", str(directory), f"remote:{bucket}/dir",
           timeout=600)
    head = s3.head_object(Bucket=bucket, Key="dir/r.bin")
    assert head["ContentLength"] == 60 * MIB
    assert "-" in head["ETag"]
    back = scratch / "back"
    rclone_v4("copy", f"remote:{bucket}/dir", str(back), timeout=600)
    assert md5_file(back / "r.bin") == expected


def test_aws_s3_cp_between_buckets_uses_upload_part_copy(awscli, s3, bucket, bucket_name, scratch):
    target = bucket_name + "-to"
    s3.create_bucket(Bucket=target)
    try:
        source = scratch / "c.bin"
        expected = write_random(source, 100 * MIB)
        awscli("s3", "cp", str(source), f"s3://{bucket}/c.bin", timeout=600)
        awscli("s3", "cp", f"s3://{bucket}/c.bin", f"s3://{target}/c.bin", timeout=600)
        head = s3.head_object(Bucket=target, Key="c.bin")
        assert head["ContentLength"] == 100 * MIB
        assert head["ETag"].strip('"').endswith("-13")
        body = s3.get_object(Bucket=target, Key="c.bin")["Body"]
        digest = hashlib.md5()
        for chunk in iter(lambda: body.read(4 * MIB), b""):
            digest.update(chunk)
        assert digest.hexdigest() == expected
    finally:
        empty_and_delete(s3, target)


def test_boto3_upload_part_copy_with_a_range_and_a_failed_condition(s3, bucket):
    data = os.urandom(6 * MIB)
    s3.put_object(Bucket=bucket, Key="src", Body=data)
    upload = s3.create_multipart_upload(Bucket=bucket, Key="dst")["UploadId"]
    first = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=upload, PartNumber=1,
                                CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange=f"bytes=0-{5 * MIB - 1}")
    second = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=upload, PartNumber=2,
                                 CopySource={"Bucket": bucket, "Key": "src"},
                                 CopySourceRange=f"bytes={5 * MIB}-{6 * MIB - 1}")
    with pytest.raises(s3.exceptions.ClientError) as failed:
        s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=upload, PartNumber=3,
                            CopySource={"Bucket": bucket, "Key": "src"}, CopySourceIfMatch='"nope"')
    assert failed.value.response["Error"]["Code"] == "PreconditionFailed"
    s3.complete_multipart_upload(
        Bucket=bucket, Key="dst", UploadId=upload,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": first["CopyPartResult"]["ETag"]},
                                   {"PartNumber": 2, "ETag": second["CopyPartResult"]["ETag"]}]})
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == data


def test_boto3_checksummed_upload_gets_a_composite_checksum(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="ck", ChecksumAlgorithm="SHA256")["UploadId"]
    data = [os.urandom(5 * MIB), b"tail"]
    parts = []
    for number, body in enumerate(data, 1):
        out = s3.upload_part(Bucket=bucket, Key="ck", UploadId=upload, PartNumber=number, Body=body,
                             ChecksumAlgorithm="SHA256")
        parts.append({"PartNumber": number, "ETag": out["ETag"], "ChecksumSHA256": out["ChecksumSHA256"]})
    listed = s3.list_parts(Bucket=bucket, Key="ck", UploadId=upload)
    assert [p["ChecksumSHA256"] for p in listed["Parts"]] == [p["ChecksumSHA256"] for p in parts]
    done = s3.complete_multipart_upload(Bucket=bucket, Key="ck", UploadId=upload, MultipartUpload={"Parts": parts})
    import base64
    concatenated = b"".join(base64.b64decode(p["ChecksumSHA256"]) for p in parts)
    assert done["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(concatenated).digest()).decode() + "-2"


def test_part_checksums_of_an_upload_without_algorithm_are_verified_but_not_combined(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="plain")["UploadId"]
    out = s3.upload_part(Bucket=bucket, Key="plain", UploadId=upload, PartNumber=1, Body=b"abc",
                         ChecksumAlgorithm="CRC32")
    assert out["ChecksumCRC32"] == "NSRBwg=="
    done = s3.complete_multipart_upload(
        Bucket=bucket, Key="plain", UploadId=upload,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": out["ETag"], "ChecksumCRC32": out["ChecksumCRC32"]}]})
    assert done["ETag"].strip('"').endswith("-1")
    assert "ChecksumCRC32" not in done
    assert s3.get_object(Bucket=bucket, Key="plain")["Body"].read() == b"abc"


def test_a_full_object_crc32_upload_gets_the_crc32_of_the_whole_object(s3, bucket):
    import base64
    import zlib
    upload = s3.create_multipart_upload(Bucket=bucket, Key="full", ChecksumAlgorithm="CRC32",
                                        ChecksumType="FULL_OBJECT")["UploadId"]
    data = [os.urandom(5 * MIB), os.urandom(777)]
    parts = []
    for number, body in enumerate(data, 1):
        out = s3.upload_part(Bucket=bucket, Key="full", UploadId=upload, PartNumber=number, Body=body,
                             ChecksumAlgorithm="CRC32")
        parts.append({"PartNumber": number, "ETag": out["ETag"], "ChecksumCRC32": out["ChecksumCRC32"]})
    whole = base64.b64encode(zlib.crc32(b"".join(data)).to_bytes(4, "big")).decode()
    done = s3.complete_multipart_upload(Bucket=bucket, Key="full", UploadId=upload, ChecksumCRC32=whole,
                                        ChecksumType="FULL_OBJECT", MultipartUpload={"Parts": parts})
    assert done["ChecksumCRC32"] == whole
    got = s3.get_object(Bucket=bucket, Key="full", ChecksumMode="ENABLED")
    assert got["Body"].read() == b"".join(data)
    assert got["ChecksumCRC32"] == whole
