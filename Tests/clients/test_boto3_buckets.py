"""Bucket operations through boto3, path-style and virtual-hosted-style."""

from __future__ import annotations

import os
import uuid

import pytest
from botocore.exceptions import ClientError

from clientlib import legacy_default_location, non_legacy_location, s3_client, unavailable
from conftest import empty_and_delete


def _code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def _status(excinfo) -> int:
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_a_created_bucket_is_listed_and_gone_after_delete(s3, bucket_name):
    s3.create_bucket(Bucket=bucket_name)
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert bucket_name in names
    s3.head_bucket(Bucket=bucket_name)
    s3.delete_bucket(Bucket=bucket_name)
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert bucket_name not in names
    with pytest.raises(ClientError) as e:
        s3.head_bucket(Bucket=bucket_name)
    assert _status(e) == 404


def test_buckets_of_another_account_are_not_listed(s3, s3_other, bucket):
    names = [b["Name"] for b in s3_other.list_buckets()["Buckets"]]
    assert bucket not in names


def test_recreating_an_own_bucket_in_us_east_1_follows_legacy_aws_behaviour(s3, bucket):
    if legacy_default_location():
        response = s3.create_bucket(Bucket=bucket)
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    else:
        with pytest.raises(ClientError) as e:
            s3.create_bucket(Bucket=bucket)
        assert (_status(e), _code(e)) == (409, "BucketAlreadyOwnedByYou")


def test_recreating_an_own_bucket_in_a_non_legacy_location_is_bucket_already_owned_by_you(s3, bucket_name):
    location = non_legacy_location()
    if location is None:
        pytest.skip("locationConfig.json has no location without legacyAwsBehavior")
    config = {"LocationConstraint": location}
    s3.create_bucket(Bucket=bucket_name, CreateBucketConfiguration=config)
    try:
        with pytest.raises(ClientError) as e:
            s3.create_bucket(Bucket=bucket_name, CreateBucketConfiguration=config)
        assert (_status(e), _code(e)) == (409, "BucketAlreadyOwnedByYou")
        assert s3.get_bucket_location(Bucket=bucket_name)["LocationConstraint"] == location
    finally:
        empty_and_delete(s3, bucket_name)


def test_creating_a_bucket_of_another_account_is_bucket_already_exists(s3_other, bucket):
    with pytest.raises(ClientError) as e:
        s3_other.create_bucket(Bucket=bucket)
    assert (_status(e), _code(e)) == (409, "BucketAlreadyExists")


def test_another_account_cannot_delete_the_bucket(s3, s3_other, bucket):
    with pytest.raises(ClientError) as e:
        s3_other.delete_bucket(Bucket=bucket)
    assert (_status(e), _code(e)) == (403, "AccessDenied")
    s3.head_bucket(Bucket=bucket)


def test_another_account_cannot_list_or_read_the_bucket(s3, s3_other, bucket):
    s3.put_object(Bucket=bucket, Key="private", Body=b"secret")
    with pytest.raises(ClientError) as e:
        s3_other.list_objects_v2(Bucket=bucket)
    assert (_status(e), _code(e)) == (403, "AccessDenied")
    with pytest.raises(ClientError) as e:
        s3_other.get_object(Bucket=bucket, Key="private")
    assert (_status(e), _code(e)) == (403, "AccessDenied")


def test_deleting_a_non_empty_bucket_is_bucket_not_empty(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    with pytest.raises(ClientError) as e:
        s3.delete_bucket(Bucket=bucket)
    assert (_status(e), _code(e)) == (409, "BucketNotEmpty")


def test_deleting_a_missing_bucket_is_no_such_bucket(s3, bucket_name):
    with pytest.raises(ClientError) as e:
        s3.delete_bucket(Bucket=bucket_name)
    assert (_status(e), _code(e)) == (404, "NoSuchBucket")


@pytest.mark.parametrize("name", [
    "ab",
    "a" * 64,
    "UpperCase-bucket",
    "under_score",
    "-starts-with-dash",
    "ends-with-dash-",
    "double..dots",
    "192.168.5.4",
])
def test_invalid_bucket_names_are_invalid_bucket_name(s3, name):
    with pytest.raises(ClientError) as e:
        s3.create_bucket(Bucket=name)
    assert (_status(e), _code(e)) == (400, "InvalidBucketName")


def test_an_unknown_location_constraint_is_invalid_location_constraint(s3, bucket_name):
    with pytest.raises(ClientError) as e:
        s3.create_bucket(Bucket=bucket_name,
                         CreateBucketConfiguration={"LocationConstraint": "nowhere-" + uuid.uuid4().hex[:6]})
    assert (_status(e), _code(e)) == (400, "InvalidLocationConstraint")


def test_get_bucket_location_of_a_default_bucket_is_empty(s3, bucket):
    assert s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] in (None, "")


VHOST_BUCKETS = ["clients-vhost-bucket-one", "clients-vhost-bucket-two"]


@pytest.fixture
def vhost_names(server):
    """Makes `<bucket>.localhost` resolve for the fixed names of the virtual-host test."""
    try:
        hosts = open("/etc/hosts").read()
    except OSError:
        hosts = ""
    missing = [n for n in VHOST_BUCKETS if f" {n}.localhost" not in hosts]
    if missing:
        if os.geteuid() != 0:
            unavailable("virtual-hosted style needs <bucket>.localhost in /etc/hosts (not root)")
        with open("/etc/hosts", "a") as f:
            for name in missing:
                f.write(f"127.0.0.1 {name}.localhost\n")
    return VHOST_BUCKETS


def test_virtual_hosted_style_creates_writes_lists_and_deletes(server, vhost_names):
    client = s3_client(f"http://localhost:{server.port}", style="virtual")
    path_client = server.client()
    name = vhost_names[0]
    empty_and_delete(path_client, name)
    seen_hosts = []
    client.meta.events.register("before-send.s3", lambda request, **_: seen_hosts.append(request.url))
    client.create_bucket(Bucket=name)
    try:
        client.put_object(Bucket=name, Key="dir/hello.txt", Body=b"hello vhost")
        assert client.get_object(Bucket=name, Key="dir/hello.txt")["Body"].read() == b"hello vhost"
        keys = [o["Key"] for o in client.list_objects_v2(Bucket=name)["Contents"]]
        assert keys == ["dir/hello.txt"]
        # The same bucket is visible path-style: the Host header was understood.
        assert path_client.get_object(Bucket=name, Key="dir/hello.txt")["Body"].read() == b"hello vhost"
        assert all(url.startswith(f"http://{name}.localhost:") for url in seen_hosts), seen_hosts
        client.delete_object(Bucket=name, Key="dir/hello.txt")
        client.delete_bucket(Bucket=name)
        with pytest.raises(ClientError) as e:
            path_client.head_bucket(Bucket=name)
        assert _status(e) == 404
    finally:
        empty_and_delete(path_client, name)
