"""Object operations through boto3: transfers, hostile keys, headers, conditions, ranges,
limits, digests and checksums."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import zlib
from datetime import datetime, timezone

import pytest
import requests
from botocore.exceptions import ClientError

from clientlib import md5_b64, md5_hex, s3_client


def _code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def _status(excinfo) -> int:
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_upload_fileobj_and_download_fileobj_round_trip_a_multi_mib_body(s3, bucket):
    body = os.urandom(5 * 1024 * 1024 + 123)
    s3.upload_fileobj(io.BytesIO(body), bucket, "big.bin")
    out = io.BytesIO()
    s3.download_fileobj(bucket, "big.bin", out)
    assert md5_hex(out.getvalue()) == md5_hex(body)
    head = s3.head_object(Bucket=bucket, Key="big.bin")
    assert head["ContentLength"] == len(body)


def test_put_object_etag_is_the_quoted_md5_of_the_body(s3, bucket):
    body = b"hello etag"
    response = s3.put_object(Bucket=bucket, Key="k", Body=body)
    assert response["ETag"] == f'"{md5_hex(body)}"'
    assert s3.head_object(Bucket=bucket, Key="k")["ETag"] == f'"{md5_hex(body)}"'


def test_an_empty_object_round_trips(s3, bucket):
    s3.put_object(Bucket=bucket, Key="empty", Body=b"")
    got = s3.get_object(Bucket=bucket, Key="empty")
    assert got["ContentLength"] == 0 and got["Body"].read() == b""
    assert got["ETag"] == '"d41d8cd98f00b204e9800998ecf8427e"'


def test_get_of_a_missing_key_is_no_such_key(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="nope")
    assert (_status(e), _code(e)) == (404, "NoSuchKey")


def test_get_in_a_missing_bucket_is_no_such_bucket(s3, bucket_name):
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket_name, Key="nope")
    assert (_status(e), _code(e)) == (404, "NoSuchBucket")


def test_delete_of_a_missing_key_answers_204(s3, bucket):
    response = s3.delete_object(Bucket=bucket, Key="never-was")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204


HOSTILE_KEYS = [
    "with space",
    "plus+sign",
    "percent%20literal",
    "percent%",
    "unicodé/日本語/ключ/🙂",
    "//a",
    "/leading",
    "a//b",
    "trailing/",
    "dots/../not-parent",
    "./dot",
    "question?mark",
    "hash#tag",
    "amp&and=equals;semi,comma",
    "tilde~star*quote'paren()",
    "tab\there",
    "back\\slash",
    "x" * 1024,
]


@pytest.mark.parametrize("key", HOSTILE_KEYS, ids=range(len(HOSTILE_KEYS)))
def test_hostile_keys_round_trip_through_put_get_head_list_copy_and_delete(s3, bucket, key):
    body = f"body of {key!r}".encode()
    s3.put_object(Bucket=bucket, Key=key, Body=body)
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == body
    assert s3.head_object(Bucket=bucket, Key=key)["ContentLength"] == len(body)
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert listed == [key]
    listed_v1 = [o["Key"] for o in s3.list_objects(Bucket=bucket)["Contents"]]
    assert listed_v1 == [key]
    copy = key[:1019] + ".copy"
    s3.copy_object(Bucket=bucket, Key=copy, CopySource={"Bucket": bucket, "Key": key})
    assert s3.get_object(Bucket=bucket, Key=copy)["Body"].read() == body
    s3.delete_object(Bucket=bucket, Key=key)
    s3.delete_object(Bucket=bucket, Key=copy)
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_metadata_and_content_headers_round_trip(s3, bucket):
    expires = datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    s3.put_object(
        Bucket=bucket, Key="doc", Body=b"<html/>",
        ContentType="text/html; charset=utf-8", ContentDisposition='attachment; filename="a b.html"',
        ContentEncoding="identity", ContentLanguage="fr-CA", CacheControl="max-age=60, private",
        Expires=expires, Metadata={"color": "blue", "Mixed-Case": "Value With  Spaces", "empty": ""})
    for response in (s3.head_object(Bucket=bucket, Key="doc"), s3.get_object(Bucket=bucket, Key="doc")):
        assert response["ContentType"] == "text/html; charset=utf-8"
        assert response["ContentDisposition"] == 'attachment; filename="a b.html"'
        assert response["ContentEncoding"] == "identity"
        assert response["ContentLanguage"] == "fr-CA"
        assert response["CacheControl"] == "max-age=60, private"
        assert response["Expires"] == expires
        assert response["Metadata"] == {"color": "blue", "mixed-case": "Value With  Spaces", "empty": ""}


def test_response_header_overrides_of_get_object_are_applied(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", ContentType="text/plain")
    got = s3.get_object(Bucket=bucket, Key="k", ResponseContentType="application/x-test",
                        ResponseContentDisposition="inline", ResponseCacheControl="no-cache")
    assert got["ContentType"] == "application/x-test"
    assert got["ContentDisposition"] == "inline"
    assert got["CacheControl"] == "no-cache"


def test_put_with_if_none_match_star_on_an_existing_key_is_precondition_failed(s3, bucket):
    s3.put_object(Bucket=bucket, Key="once", Body=b"first", IfNoneMatch="*")
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="once", Body=b"second", IfNoneMatch="*")
    assert (_status(e), _code(e)) == (412, "PreconditionFailed")
    assert s3.get_object(Bucket=bucket, Key="once")["Body"].read() == b"first"


def test_get_with_if_none_match_of_the_etag_is_304_not_modified(s3, bucket):
    etag = s3.put_object(Bucket=bucket, Key="k", Body=b"cached")["ETag"]
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="k", IfNoneMatch=etag)
    assert _status(e) == 304
    assert s3.get_object(Bucket=bucket, Key="k", IfNoneMatch='"other"')["Body"].read() == b"cached"


def test_get_with_a_wrong_if_match_is_412_precondition_failed(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="k", IfMatch='"00000000000000000000000000000000"')
    assert (_status(e), _code(e)) == (412, "PreconditionFailed")


def test_get_with_if_modified_since_in_the_future_is_304(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="k", IfModifiedSince=datetime(2100, 1, 1, tzinfo=timezone.utc))
    assert _status(e) == 304


BODY100 = bytes(range(100))


@pytest.mark.parametrize("spec,start,end", [
    ("bytes=10-19", 10, 19),
    ("bytes=-5", 95, 99),
    ("bytes=5-", 5, 99),
    ("bytes=90-1000", 90, 99),
    ("bytes=0-0", 0, 0),
])
def test_satisfiable_ranges_answer_206_with_content_range(s3, bucket, spec, start, end):
    s3.put_object(Bucket=bucket, Key="r", Body=BODY100)
    got = s3.get_object(Bucket=bucket, Key="r", Range=spec)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert got["ContentRange"] == f"bytes {start}-{end}/100"
    assert got["ContentLength"] == end - start + 1
    assert got["Body"].read() == BODY100[start:end + 1]


def test_an_unsatisfiable_range_is_416_invalid_range(s3, bucket):
    s3.put_object(Bucket=bucket, Key="r", Body=BODY100)
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="r", Range="bytes=100-200")
    assert (_status(e), _code(e)) == (416, "InvalidRange")


def test_user_metadata_over_2_kb_is_metadata_too_large(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="k", Body=b"x", Metadata={"big": "v" * 2100})
    assert (_status(e), _code(e)) == (400, "MetadataTooLarge")
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="k")
    assert _status(e) == 404


def test_a_1024_byte_key_is_accepted_and_a_1025_byte_key_is_key_too_long(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k" * 1024, Body=b"x")
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="k" * 1025, Body=b"x")
    assert (_status(e), _code(e)) == (400, "KeyTooLongError")


def test_a_content_md5_mismatch_is_bad_digest_and_stores_nothing(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="k", Body=b"actual body", ContentMD5=md5_b64(b"other body"))
    assert (_status(e), _code(e)) == (400, "BadDigest")
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="k")
    assert _status(e) == 404


def test_a_malformed_content_md5_is_invalid_digest(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="k", Body=b"x", ContentMD5="not-base64-md5")
    assert (_status(e), _code(e)) == (400, "InvalidDigest")


def test_a_correct_content_md5_is_accepted(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", ContentMD5=md5_b64(b"x"))
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"x"


def _crc32c(data: bytes) -> int:
    table = _crc32c.table
    if table is None:
        table = []
        for i in range(256):
            c = i
            for _ in range(8):
                c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
            table.append(c)
        _crc32c.table = table
    crc = 0xFFFFFFFF
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


_crc32c.table = None


def _b64(number: int) -> str:
    return base64.b64encode(number.to_bytes(4, "big")).decode()


CHECKSUM_BODY = b"checksummed body \x00\xff" * 100

EXPECTED_CHECKSUMS = {
    "CRC32": _b64(zlib.crc32(CHECKSUM_BODY)),
    "CRC32C": _b64(_crc32c(CHECKSUM_BODY)),
    "SHA256": base64.b64encode(hashlib.sha256(CHECKSUM_BODY).digest()).decode(),
    "SHA1": base64.b64encode(hashlib.sha1(CHECKSUM_BODY).digest()).decode(),
}


@pytest.mark.parametrize("algorithm", ["CRC32", "CRC32C", "SHA256", "SHA1"])
def test_checksums_given_as_headers_round_trip_with_checksum_mode_enabled(s3, bucket, algorithm):
    expected = EXPECTED_CHECKSUMS[algorithm]
    put = s3.put_object(Bucket=bucket, Key="c", Body=CHECKSUM_BODY, **{f"Checksum{algorithm}": expected})
    assert put[f"Checksum{algorithm}"] == expected
    head = s3.head_object(Bucket=bucket, Key="c", ChecksumMode="ENABLED")
    assert head[f"Checksum{algorithm}"] == expected
    got = s3.get_object(Bucket=bucket, Key="c", ChecksumMode="ENABLED")
    assert got[f"Checksum{algorithm}"] == expected
    assert got["Body"].read() == CHECKSUM_BODY


@pytest.mark.parametrize("algorithm", ["CRC32", "SHA256"])
def test_a_wrong_checksum_header_is_bad_digest(s3, bucket, algorithm):
    wrong = EXPECTED_CHECKSUMS[algorithm]
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="c", Body=CHECKSUM_BODY + b"!", **{f"Checksum{algorithm}": wrong})
    assert (_status(e), _code(e)) == (400, "BadDigest")


def test_copy_object_onto_itself_without_replace_is_invalid_request(s3, bucket):
    s3.put_object(Bucket=bucket, Key="self", Body=b"x")
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="self", CopySource={"Bucket": bucket, "Key": "self"})
    assert (_status(e), _code(e)) == (400, "InvalidRequest")


def test_copy_object_onto_itself_with_replace_changes_the_metadata(s3, bucket):
    s3.put_object(Bucket=bucket, Key="self", Body=b"x", Metadata={"v": "1"})
    s3.copy_object(Bucket=bucket, Key="self", CopySource={"Bucket": bucket, "Key": "self"},
                   MetadataDirective="REPLACE", Metadata={"v": "2"}, ContentType="text/x-new")
    head = s3.head_object(Bucket=bucket, Key="self")
    assert head["Metadata"] == {"v": "2"} and head["ContentType"] == "text/x-new"


def test_copy_object_between_buckets_keeps_body_and_metadata(s3, bucket, bucket_name):
    target = bucket_name + "-dst"
    s3.create_bucket(Bucket=target)
    try:
        s3.put_object(Bucket=bucket, Key="src", Body=b"payload", Metadata={"a": "b"}, ContentType="x/y")
        copied = s3.copy_object(Bucket=target, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
        assert copied["CopyObjectResult"]["ETag"] == f'"{md5_hex(b"payload")}"'
        got = s3.get_object(Bucket=target, Key="dst")
        assert got["Body"].read() == b"payload"
        assert got["Metadata"] == {"a": "b"} and got["ContentType"] == "x/y"
    finally:
        s3.delete_object(Bucket=target, Key="dst")
        s3.delete_bucket(Bucket=target)


def test_copy_from_a_missing_source_is_no_such_key(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "missing"})
    assert (_status(e), _code(e)) == (404, "NoSuchKey")


def test_delete_objects_removes_listed_keys_and_reports_each(s3, bucket):
    for i in range(10):
        s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b"x")
    result = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": f"k{i}"} for i in range(5)]
                                                      + [{"Key": "never-was"}]})
    assert sorted(d["Key"] for d in result["Deleted"]) == sorted([f"k{i}" for i in range(5)] + ["never-was"])
    assert not result.get("Errors")
    left = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert left == [f"k{i}" for i in range(5, 10)]


@pytest.mark.parametrize("version", ["s3v4", "s3"])
def test_presigned_get_and_put_work_with_plain_http(server, bucket, version):
    s3 = s3_client(server.endpoint, signature_version=version)
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "p k+é"}, ExpiresIn=300)
    response = requests.put(put_url, data=b"presigned body", timeout=30)
    assert response.status_code == 200, response.text
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "p k+é"}, ExpiresIn=300)
    response = requests.get(get_url, timeout=30)
    assert response.status_code == 200, response.text
    assert response.content == b"presigned body"
