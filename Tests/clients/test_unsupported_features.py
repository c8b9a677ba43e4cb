"""Requests for features the server does not have answer 501 NotImplemented (or S3's own
error) instead of a success that silently drops what was asked."""

from __future__ import annotations

import pytest
import requests

from clientlib import error_code, sigv4_headers


def _put(server, bucket: str, key: str, headers: dict, body: bytes = b"x"):
    url = f"{server.endpoint}/{bucket}/{key}"
    return requests.put(url, data=body, headers=sigv4_headers("PUT", url, headers, body), timeout=30)


@pytest.mark.parametrize("headers", [
    {"x-amz-acl": "public-read"},
    {"x-amz-grant-read": 'id="79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"'},
    {"x-amz-tagging": "a=b"},
    {"x-amz-website-redirect-location": "/elsewhere"},
    {"x-amz-server-side-encryption": "AES256"},
    {"x-amz-server-side-encryption-customer-algorithm": "AES256"},
    {"x-amz-object-lock-mode": "GOVERNANCE", "x-amz-object-lock-retain-until-date": "2030-01-01T00:00:00Z"},
    {"If-None-Match": '"0cc175b9c0f1b6a831c399e269772661"'},
], ids=["acl", "grant", "tagging", "redirect", "sse", "sse-c", "object-lock", "if-none-match-etag"])
def test_object_writes_asking_for_missing_features_are_501_and_store_nothing(server, s3, bucket, headers):
    answer = _put(server, bucket, "refused", headers)
    assert (answer.status_code, error_code(answer.content)) == (501, "NotImplemented"), answer.text
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


def test_the_private_canned_acl_is_what_every_object_gets_and_is_accepted(server, s3, bucket):
    assert _put(server, bucket, "private", {"x-amz-acl": "private"}).status_code == 200
    assert s3.get_object(Bucket=bucket, Key="private")["Body"].read() == b"x"


def test_a_storage_class_other_than_standard_is_invalid(server, s3, bucket):
    answer = _put(server, bucket, "cold", {"x-amz-storage-class": "GLACIER"})
    assert (answer.status_code, error_code(answer.content)) == (400, "InvalidStorageClass"), answer.text
    assert _put(server, bucket, "warm", {"x-amz-storage-class": "STANDARD"}).status_code == 200


def test_create_bucket_with_object_lock_is_501(server, bucket_name, s3):
    url = f"{server.endpoint}/{bucket_name}"
    headers = {"x-amz-bucket-object-lock-enabled": "true"}
    answer = requests.put(url, headers=sigv4_headers("PUT", url, headers), timeout=30)
    assert (answer.status_code, error_code(answer.content)) == (501, "NotImplemented"), answer.text
    assert bucket_name not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


@pytest.mark.parametrize("subresource", ["torrent", "session", "metadataTable", "acl", "tagging"])
def test_unbuilt_bucket_subresources_are_501_not_a_listing(server, bucket, subresource):
    url = f"{server.endpoint}/{bucket}?{subresource}"
    answer = requests.get(url, headers=sigv4_headers("GET", url), timeout=30)
    assert (answer.status_code, error_code(answer.content)) == (501, "NotImplemented"), answer.text


def test_an_unknown_list_type_is_invalid_argument(server, bucket):
    url = f"{server.endpoint}/{bucket}?list-type=3"
    answer = requests.get(url, headers=sigv4_headers("GET", url), timeout=30)
    assert (answer.status_code, error_code(answer.content)) == (400, "InvalidArgument"), answer.text


def test_a_part_without_the_uploads_checksum_is_refused(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="k", ChecksumAlgorithm="SHA256")["UploadId"]
    with pytest.raises(s3.exceptions.ClientError) as refused:
        s3.upload_part(Bucket=bucket, Key="k", UploadId=upload, PartNumber=1, Body=b"part",
                       ChecksumAlgorithm="CRC32")
    assert refused.value.response["Error"]["Code"] == "InvalidRequest"
    part = s3.upload_part(Bucket=bucket, Key="k", UploadId=upload, PartNumber=1, Body=b"part",
                          ChecksumAlgorithm="SHA256")
    with pytest.raises(s3.exceptions.ClientError) as unnamed:
        s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload,
                                     MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert unnamed.value.response["Error"]["Code"] == "InvalidRequest"
    done = s3.complete_multipart_upload(
        Bucket=bucket, Key="k", UploadId=upload,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"], "ChecksumSHA256": part["ChecksumSHA256"]}]})
    assert done["ChecksumSHA256"].endswith("-1")
