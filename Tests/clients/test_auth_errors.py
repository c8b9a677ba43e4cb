"""Authentication: bad credentials, presigned URLs, clock skew, anonymous requests, SigV2."""

from __future__ import annotations

import hashlib
import subprocess
import time
import urllib.parse
from datetime import datetime, timedelta, timezone

import pytest
import requests
from botocore.exceptions import ClientError

from clientlib import ACCOUNT1, error_code, s3_client, sigv4_headers


def _code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def _status(excinfo) -> int:
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_wrong_secret_is_signature_does_not_match(server, bucket):
    client = s3_client(server.endpoint, (ACCOUNT1[0], "notTheSecret"))
    with pytest.raises(ClientError) as e:
        client.list_objects_v2(Bucket=bucket)
    assert (_status(e), _code(e)) == (403, "SignatureDoesNotMatch")
    with pytest.raises(ClientError) as e:
        client.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert (_status(e), _code(e)) == (403, "SignatureDoesNotMatch")


def test_unknown_access_key_is_invalid_access_key_id(server, bucket):
    client = s3_client(server.endpoint, ("NoSuchAccessKey", "whatever"))
    with pytest.raises(ClientError) as e:
        client.list_buckets()
    assert (_status(e), _code(e)) == (403, "InvalidAccessKeyId")
    with pytest.raises(ClientError) as e:
        client.get_object(Bucket=bucket, Key="k")
    assert (_status(e), _code(e)) == (403, "InvalidAccessKeyId")


def test_wrong_secret_through_aws_cli_reports_signature_does_not_match(awscli, bucket):
    awscli.env["AWS_SECRET_ACCESS_KEY"] = "notTheSecret"
    awscli.env["AWS_ACCESS_KEY_ID"] = ACCOUNT1[0]
    out = awscli("s3", "ls", f"s3://{bucket}", check=False)
    assert out.returncode != 0
    assert "SignatureDoesNotMatch" in out.stderr, out.stderr


@pytest.mark.parametrize("version", ["s3v4", "s3"])
def test_presigned_get_url_works_with_curl(server, s3, bucket, version):
    s3.put_object(Bucket=bucket, Key="shared file+ü.txt", Body=b"for curl")
    presigner = s3_client(server.endpoint, signature_version=version)
    url = presigner.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "shared file+ü.txt"},
                                    ExpiresIn=300)
    out = subprocess.run(["curl", "-sS", "-f", url], capture_output=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert out.stdout == b"for curl"


@pytest.mark.parametrize("version", ["s3v4", "s3"])
def test_an_expired_presigned_url_is_403_access_denied(server, s3, bucket, version):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    presigner = s3_client(server.endpoint, signature_version=version)
    url = presigner.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"}, ExpiresIn=1)
    time.sleep(2.2)
    response = requests.get(url, timeout=30)
    assert (response.status_code, error_code(response.content)) == (403, "AccessDenied"), response.text


def test_a_presigned_url_with_a_tampered_signature_is_signature_does_not_match(server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    url = s3_client(server.endpoint, signature_version="s3v4").generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"}, ExpiresIn=300)
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qs(parts.query)
    signature = query["X-Amz-Signature"][0]
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    response = requests.get(url.replace(signature, flipped), timeout=30)
    assert (response.status_code, error_code(response.content)) == (403, "SignatureDoesNotMatch")


def test_a_presigned_url_for_another_key_does_not_open_this_key(server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="a", Body=b"a")
    s3.put_object(Bucket=bucket, Key="b", Body=b"b")
    url = s3_client(server.endpoint, signature_version="s3v4").generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "a"}, ExpiresIn=300)
    response = requests.get(url.replace(f"/{bucket}/a?", f"/{bucket}/b?"), timeout=30)
    assert (response.status_code, error_code(response.content)) == (403, "SignatureDoesNotMatch")


def test_a_request_signed_20_minutes_ago_is_request_time_too_skewed(server, bucket):
    url = f"{server.endpoint}/{bucket}?list-type=2"
    headers = sigv4_headers("GET", url, when=datetime.now(timezone.utc) - timedelta(minutes=20))
    response = requests.get(url, headers=headers, timeout=30)
    assert (response.status_code, error_code(response.content)) == (403, "RequestTimeTooSkewed")


def test_a_hand_signed_request_20_minutes_in_the_future_is_request_time_too_skewed(server, bucket):
    url = f"{server.endpoint}/{bucket}/k"
    headers = sigv4_headers("PUT", url, body=b"x", when=datetime.now(timezone.utc) + timedelta(minutes=20))
    response = requests.put(url, data=b"x", headers=headers, timeout=30)
    assert (response.status_code, error_code(response.content)) == (403, "RequestTimeTooSkewed")


def test_a_hand_signed_request_with_the_current_time_succeeds(server, bucket):
    url = f"{server.endpoint}/{bucket}/hand%20signed"
    headers = sigv4_headers("PUT", url, body=b"by hand")
    response = requests.put(url, data=b"by hand", headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    headers = sigv4_headers("GET", url)
    response = requests.get(url, headers=headers, timeout=30)
    assert response.status_code == 200 and response.content == b"by hand"


def test_a_body_not_matching_x_amz_content_sha256_is_rejected_and_not_stored(s3, server, bucket):
    url = f"{server.endpoint}/{bucket}/tampered"
    headers = sigv4_headers("PUT", url, body=b"signed body")
    response = requests.put(url, data=b"other body!", headers=headers, timeout=30)
    assert (response.status_code, error_code(response.content)) == (400, "XAmzContentSHA256Mismatch")
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="tampered")
    assert _status(e) == 404


def test_unsigned_payload_is_accepted(server, bucket):
    url = f"{server.endpoint}/{bucket}/unsigned"
    headers = sigv4_headers("PUT", url, payload_hash="UNSIGNED-PAYLOAD")
    response = requests.put(url, data=b"not hashed", headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == f'"{hashlib.md5(b"not hashed").hexdigest()}"'


@pytest.mark.parametrize("method,path", [
    ("GET", "/"),
    ("GET", "/{bucket}"),
    ("GET", "/{bucket}/k"),
    ("PUT", "/{bucket}/anonymous"),
    ("DELETE", "/{bucket}"),
])
def test_anonymous_requests_to_private_resources_are_403_access_denied(s3, server, bucket, method, path):
    s3.put_object(Bucket=bucket, Key="k", Body=b"private")
    response = requests.request(method, server.endpoint + path.format(bucket=bucket), data=b"x"
                                if method == "PUT" else None, timeout=30)
    assert (response.status_code, error_code(response.content)) == (403, "AccessDenied"), response.text
    s3.head_bucket(Bucket=bucket)


def test_a_malformed_authorization_header_is_rejected_with_400_or_403(server, bucket):
    response = requests.get(f"{server.endpoint}/{bucket}", headers={"Authorization": "AWS4-HMAC-SHA256 garbage"},
                            timeout=30)
    assert response.status_code in (400, 403), response.text
    assert error_code(response.content) in ("AuthorizationHeaderMalformed", "InvalidArgument", "AccessDenied",
                                            "MissingSecurityHeader", "InvalidRequest")


def test_signature_v2_clients_can_write_read_list_and_delete(server, bucket):
    """botocore signs a bucket-level SigV2 request on /bucket with the resource `/bucket/`."""
    client = s3_client(server.endpoint, signature_version="s3")
    client.put_object(Bucket=bucket, Key="v2 key+é", Body=b"sigv2", Metadata={"m": "v"},
                      ContentType="text/plain")
    got = client.get_object(Bucket=bucket, Key="v2 key+é")
    assert got["Body"].read() == b"sigv2" and got["Metadata"] == {"m": "v"}
    assert [o["Key"] for o in client.list_objects(Bucket=bucket)["Contents"]] == ["v2 key+é"]
    client.delete_object(Bucket=bucket, Key="v2 key+é")


def test_signature_v2_with_a_wrong_secret_is_signature_does_not_match(server, bucket):
    client = s3_client(server.endpoint, (ACCOUNT1[0], "wrong"), signature_version="s3")
    with pytest.raises(ClientError) as e:
        client.list_objects(Bucket=bucket)
    assert (_status(e), _code(e)) == (403, "SignatureDoesNotMatch")


def test_signature_v2_presigned_get_works(server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="v2-presigned", Body=b"old style")
    client = s3_client(server.endpoint, signature_version="s3")
    url = client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "v2-presigned"},
                                        ExpiresIn=300)
    assert "Signature=" in url and "AWSAccessKeyId=" in url
    response = requests.get(url, timeout=30)
    assert response.status_code == 200 and response.content == b"old style"


def test_second_account_keys_work_for_its_own_buckets(server, bucket_name):
    from clientlib import ACCOUNT2
    client = s3_client(server.endpoint, ACCOUNT2)
    client.create_bucket(Bucket=bucket_name)
    client.put_object(Bucket=bucket_name, Key="k", Body=b"lisa")
    assert client.get_object(Bucket=bucket_name, Key="k")["Body"].read() == b"lisa"
    client.delete_object(Bucket=bucket_name, Key="k")
    client.delete_bucket(Bucket=bucket_name)
