"""ListObjectVersions beyond the manual's example: encoding-type=url, the null version as a
version-id-marker, delimiter pages, refused markers; ListObjects V1/V2 over delete markers."""

from __future__ import annotations

import urllib.parse

import pytest

from test_versioning_support import NS, answer, list_versions_raw, live_keys, set_versioning, signed

HOSTILE_KEYS = ["a b", "a+b", "caf\u00e9/x", "p%20q", "z&<>"]


def put(s3, bucket, key, body=b"x"):
    return s3.put_object(Bucket=bucket, Key=key, Body=body).get("VersionId")


def test_encoding_type_url_encodes_keys_and_next_key_marker(s3, versioned_bucket):
    for key in HOSTILE_KEYS:
        put(s3, versioned_bucket, key)
        put(s3, versioned_bucket, key)
    entries, root = list_versions_raw(s3, versioned_bucket, **{"encoding-type": "url", "max-keys": 3})
    assert root.findtext(f"{NS}EncodingType") == "url"
    assert [urllib.parse.unquote_plus(e.key) for e in entries] == ["a b", "a b", "a+b"]
    assert [e.key for e in entries][0] in ("a%20b", "a+b")
    assert entries[2].key == "a%2Bb"
    assert urllib.parse.unquote_plus(root.findtext(f"{NS}NextKeyMarker")) == "a+b"
    # Followed to the end, the decoded keys are every version, in key order.
    keys, markers = [], {}
    while True:
        entries, root = list_versions_raw(
            s3, versioned_bucket, **{"encoding-type": "url", "max-keys": 3}, **markers)
        keys += [urllib.parse.unquote_plus(e.key) for e in entries]
        if root.findtext(f"{NS}IsTruncated") != "true":
            break
        markers = {"key-marker": urllib.parse.unquote_plus(root.findtext(f"{NS}NextKeyMarker")),
                   "version-id-marker": root.findtext(f"{NS}NextVersionIdMarker")}
    assert keys == [k for k in sorted(HOSTILE_KEYS, key=lambda k: k.encode()) for _ in (1, 2)]
    # boto3 asks for url encoding and decodes.
    got = s3.list_object_versions(Bucket=versioned_bucket)
    assert sorted({v["Key"] for v in got["Versions"]}) == sorted(HOSTILE_KEYS)


def test_a_page_ending_on_the_null_version_names_it_null_and_the_next_page_follows(s3, plain_bucket):
    put(s3, plain_bucket, "k", b"null version")
    set_versioning(s3, plain_bucket, "Enabled")
    newer = [put(s3, plain_bucket, "k", str(i).encode()) for i in range(2)]
    put(s3, plain_bucket, "l", b"next key")
    page = s3.list_object_versions(Bucket=plain_bucket, MaxKeys=3)
    assert [v["VersionId"] for v in page["Versions"]] == [newer[1], newer[0], "null"]
    assert (page["NextKeyMarker"], page["NextVersionIdMarker"]) == ("k", "null")
    rest = s3.list_object_versions(Bucket=plain_bucket, KeyMarker="k", VersionIdMarker="null")
    assert [(v["Key"], v["IsLatest"]) for v in rest["Versions"]] == [("l", True)]
    middle = s3.list_object_versions(Bucket=plain_bucket, KeyMarker="k", VersionIdMarker=newer[0])
    assert [v["VersionId"] for v in middle["Versions"]] == ["null", middle["Versions"][1]["VersionId"]]
    assert [v["IsLatest"] for v in middle["Versions"]] == [False, True]


def test_delimiter_pages_count_a_common_prefix_once_and_chain_by_markers(s3, versioned_bucket):
    for key in ("a/1", "a/2", "b", "c/1"):
        put(s3, versioned_bucket, key)
    put(s3, versioned_bucket, "b", b"again")
    seen, markers = [], {}
    while True:
        entries, root = list_versions_raw(s3, versioned_bucket, delimiter="/", **{"max-keys": 1}, **markers)
        prefixes = [p.findtext(f"{NS}Prefix") for p in root.findall(f"{NS}CommonPrefixes")]
        assert len(entries) + len(prefixes) == 1
        seen += [("prefix", p) for p in prefixes] + [(e.key, e.is_latest) for e in entries]
        if root.findtext(f"{NS}IsTruncated") != "true":
            break
        markers = {"key-marker": root.findtext(f"{NS}NextKeyMarker")}
        if prefixes:
            assert root.findtext(f"{NS}NextKeyMarker") == prefixes[0]
            assert root.find(f"{NS}NextVersionIdMarker") is None
        else:
            markers["version-id-marker"] = root.findtext(f"{NS}NextVersionIdMarker")
    assert seen == [("prefix", "a/"), ("b", True), ("b", False), ("prefix", "c/")]


@pytest.mark.parametrize("query", [
    {"version-id-marker": "null"},
    {"key-marker": "k", "version-id-marker": "not-a-version-id"},
], ids=["without-key-marker", "undecodable"])
def test_a_refused_version_id_marker_is_400_invalid_argument(s3, versioned_bucket, query):
    ans = signed(s3, "GET", versioned_bucket, query={"versions": "", **query})
    assert (ans.status, ans.code) == (400, "InvalidArgument"), ans
    assert b"<ArgumentName>version-id-marker</ArgumentName>" in ans.body, ans.body


def test_list_objects_v1_and_v2_skip_keys_whose_latest_version_is_a_delete_marker(s3, versioned_bucket):
    for i in range(6):
        put(s3, versioned_bucket, f"k{i}", b"old")
    for i in (0, 2, 3, 5):
        s3.delete_object(Bucket=versioned_bucket, Key=f"k{i}")
    put(s3, versioned_bucket, "k3", b"revived")
    assert live_keys(s3, versioned_bucket) == ["k1", "k3", "k4"]
    assert live_keys(s3, versioned_bucket, MaxKeys=1) == ["k1", "k3", "k4"]
    v1 = [o["Key"] for page in s3.get_paginator("list_objects").paginate(
        Bucket=versioned_bucket, PaginationConfig={"PageSize": 1}) for o in page.get("Contents", [])]
    assert v1 == ["k1", "k3", "k4"]
    got = s3.list_objects_v2(Bucket=versioned_bucket, Prefix="k3")["Contents"]
    assert [(o["Key"], o["Size"]) for o in got] == [("k3", 7)]
    # V1's NextMarker with a delimiter names the last key or prefix returned, never a marker.
    page = s3.list_objects(Bucket=versioned_bucket, MaxKeys=1, Delimiter="/")
    assert page["IsTruncated"] is True and page["NextMarker"] == "k1"


def test_list_object_versions_of_a_bucket_never_versioned_names_null_versions(s3, bucket):
    put(s3, bucket, "plain", b"p")
    got = s3.list_object_versions(Bucket=bucket)
    assert [(v["Key"], v["VersionId"], v["IsLatest"]) for v in got["Versions"]] == [("plain", "null", True)]
    assert answer(s3.get_object, Bucket=bucket, Key="plain", VersionId="null").body == b"p"
