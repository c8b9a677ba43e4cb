"""Bucket operations through aws-cli (`aws s3` and `aws s3api`)."""

from __future__ import annotations

import json

from clientlib import non_legacy_location


def test_mb_then_ls_shows_the_bucket_and_rb_removes_it(awscli, bucket_name):
    out = awscli("s3", "mb", f"s3://{bucket_name}")
    assert f"make_bucket: {bucket_name}" in out.stdout
    listing = awscli("s3", "ls").stdout
    assert bucket_name in listing.split()
    out = awscli("s3", "rb", f"s3://{bucket_name}")
    assert f"remove_bucket: {bucket_name}" in out.stdout
    assert bucket_name not in awscli("s3", "ls").stdout.split()


def test_head_bucket_succeeds_for_an_own_bucket_and_is_404_for_a_missing_one(awscli, bucket_name):
    awscli("s3", "mb", f"s3://{bucket_name}")
    try:
        awscli("s3api", "head-bucket", "--bucket", bucket_name)
        missing = awscli("s3api", "head-bucket", "--bucket", bucket_name + "-missing", check=False)
        assert missing.returncode != 0
        assert "404" in missing.stderr, missing.stderr
    finally:
        awscli("s3", "rb", f"s3://{bucket_name}", "--force", check=False)


def test_head_bucket_of_another_accounts_bucket_is_403(awscli, awscli_other, bucket_name):
    awscli("s3", "mb", f"s3://{bucket_name}")
    try:
        other = awscli_other("s3api", "head-bucket", "--bucket", bucket_name, check=False)
        assert other.returncode != 0
        assert "403" in other.stderr, other.stderr
    finally:
        awscli("s3", "rb", f"s3://{bucket_name}", check=False)


def test_get_bucket_location_is_null_for_us_east_1_and_named_for_other_locations(awscli, bucket_name):
    awscli("s3api", "create-bucket", "--bucket", bucket_name)
    try:
        location = json.loads(awscli("s3api", "get-bucket-location", "--bucket", bucket_name).stdout)
        assert location.get("LocationConstraint") in (None, "")
    finally:
        awscli("s3", "rb", f"s3://{bucket_name}", check=False)
    other = non_legacy_location()
    if other is None:
        return
    named = bucket_name + "-b"
    awscli("s3api", "create-bucket", "--bucket", named,
           "--create-bucket-configuration", f"LocationConstraint={other}")
    try:
        location = json.loads(awscli("s3api", "get-bucket-location", "--bucket", named).stdout)
        assert location["LocationConstraint"] == other
    finally:
        awscli("s3", "rb", f"s3://{named}", check=False)


def test_rb_of_a_non_empty_bucket_fails_with_bucket_not_empty_and_force_empties_it(awscli, bucket_name, scratch):
    awscli("s3", "mb", f"s3://{bucket_name}")
    (scratch / "f.txt").write_bytes(b"content")
    awscli("s3", "cp", str(scratch / "f.txt"), f"s3://{bucket_name}/a/f.txt")
    out = awscli("s3", "rb", f"s3://{bucket_name}", check=False)
    assert out.returncode != 0
    assert "BucketNotEmpty" in out.stderr, out.stderr
    awscli("s3", "rb", f"s3://{bucket_name}", "--force")
    assert bucket_name not in awscli("s3", "ls").stdout.split()


def test_create_bucket_with_an_invalid_name_is_invalid_bucket_name(awscli):
    out = awscli("s3api", "create-bucket", "--bucket", "Bad.Name..x", check=False)
    assert out.returncode != 0
    assert "InvalidBucketName" in out.stderr, out.stderr


def test_list_buckets_shows_owner_and_creation_date(awscli, bucket_name):
    awscli("s3api", "create-bucket", "--bucket", bucket_name)
    try:
        listing = json.loads(awscli("s3api", "list-buckets").stdout)
        mine = [b for b in listing["Buckets"] if b["Name"] == bucket_name]
        assert len(mine) == 1 and mine[0]["CreationDate"]
        assert listing["Owner"]["ID"]
    finally:
        awscli("s3", "rb", f"s3://{bucket_name}", check=False)
