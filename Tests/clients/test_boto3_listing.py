"""Listing through boto3 paginators: 2,500 keys, MaxKeys 1000, Delimiter and Prefix."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import uuid

import pytest

from clientlib import s3_client
from conftest import empty_and_delete

TOP_LEVEL = [f"k{i:05d}" for i in range(1500)]
NESTED = [f"d{d}/f{i:04d}" for d in range(4) for i in range(250)]
ALL_KEYS = sorted(TOP_LEVEL + NESTED)


@pytest.fixture(scope="module")
def many(server):
    """A bucket holding 1,500 top-level keys and 4 folders of 250 keys each. Uploading 2,500
    objects takes a while, so the read-only tests of this file share it."""
    client = s3_client(server.endpoint, max_pool_connections=16)
    bucket = f"t-listing-{uuid.uuid4().hex[:8]}"
    client.create_bucket(Bucket=bucket)

    def put(key):
        client.put_object(Bucket=bucket, Key=key, Body=key.encode())

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(put, ALL_KEYS))
    yield bucket
    empty_and_delete(client, bucket)


def test_list_objects_v2_pages_through_2500_keys_in_order(s3, many):
    pages = list(s3.get_paginator("list_objects_v2").paginate(
        Bucket=many, PaginationConfig={"PageSize": 1000}))
    assert [p["KeyCount"] for p in pages] == [1000, 1000, 500]
    assert [p["IsTruncated"] for p in pages] == [True, True, False]
    keys = [o["Key"] for p in pages for o in p["Contents"]]
    assert keys == ALL_KEYS
    sizes = {o["Key"]: o["Size"] for p in pages for o in p["Contents"]}
    assert all(sizes[k] == len(k) for k in ALL_KEYS)


def test_list_objects_v2_with_delimiter_counts_common_prefixes_against_max_keys(s3, many):
    pages = list(s3.get_paginator("list_objects_v2").paginate(
        Bucket=many, Delimiter="/", PaginationConfig={"PageSize": 1000}))
    keys = [o["Key"] for p in pages for o in p.get("Contents", [])]
    prefixes = [c["Prefix"] for p in pages for c in p.get("CommonPrefixes", [])]
    assert prefixes == ["d0/", "d1/", "d2/", "d3/"]
    assert keys == TOP_LEVEL
    assert len(pages) == 2
    assert pages[0]["KeyCount"] == 1000 and pages[0]["IsTruncated"]
    assert pages[1]["KeyCount"] == 504 and not pages[1]["IsTruncated"]


def test_list_objects_v2_with_prefix_and_delimiter_lists_one_folder(s3, many):
    response = s3.list_objects_v2(Bucket=many, Prefix="d2/", Delimiter="/")
    assert [o["Key"] for o in response["Contents"]] == [f"d2/f{i:04d}" for i in range(250)]
    assert not response.get("CommonPrefixes")
    assert response["KeyCount"] == 250 and not response["IsTruncated"]


def test_list_objects_v1_pages_with_markers(s3, many):
    pages = list(s3.get_paginator("list_objects").paginate(
        Bucket=many, PaginationConfig={"PageSize": 1000}))
    keys = [o["Key"] for p in pages for o in p["Contents"]]
    assert keys == ALL_KEYS
    assert len(pages) == 3


def test_start_after_skips_earlier_keys(s3, many):
    response = s3.list_objects_v2(Bucket=many, StartAfter="k01490")
    assert [o["Key"] for o in response["Contents"]] == [f"k{i:05d}" for i in range(1491, 1500)]
