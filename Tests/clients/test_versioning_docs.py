"""The tables and examples of the manual's section 7.1 (Versioning), replayed through the S3
API with boto3: what clients see must be what AWS S3 shows for the same sequence.

Notation of the comments: `foo.v2` is a version record, `(null)` the null version, as in the
manual's tables."""

from __future__ import annotations

import pytest

from test_versioning_support import (
    HEX_VERSION_ID, Entry, all_versions, answer, list_versions_raw, live_keys, set_versioning, signed)


def put(s3, bucket, key, body: bytes):
    return answer(s3.put_object, Bucket=bucket, Key=key, Body=body)


def get(s3, bucket, key, version_id=None):
    kwargs = {"VersionId": version_id} if version_id is not None else {}
    return answer(s3.get_object, Bucket=bucket, Key=key, **kwargs)


def head(s3, bucket, key, version_id=None):
    kwargs = {"VersionId": version_id} if version_id is not None else {}
    return answer(s3.head_object, Bucket=bucket, Key=key, **kwargs)


def delete(s3, bucket, key, version_id=None):
    kwargs = {"VersionId": version_id} if version_id is not None else {}
    return answer(s3.delete_object, Bucket=bucket, Key=key, **kwargs)


def shape(entries: list[Entry]) -> list[tuple]:
    """(key, version id, is latest, delete marker) of each listed entry."""
    return [(e.key, e.version_id, e.is_latest, e.delete_marker) for e in entries]


# --- GetBucketVersioning / PutBucketVersioning ---------------------------------------------

def test_a_never_versioned_bucket_has_an_empty_versioning_configuration(s3, plain_bucket):
    got = s3.get_bucket_versioning(Bucket=plain_bucket)
    assert "Status" not in got and "MFADelete" not in got
    raw = signed(s3, "GET", plain_bucket, query={"versioning": ""})
    assert raw.status == 200
    assert b"<Status>" not in raw.body and b"VersioningConfiguration" in raw.body


def test_put_bucket_versioning_switches_between_enabled_and_suspended(s3, plain_bucket):
    for status in ("Enabled", "Suspended", "Enabled"):
        ans = answer(s3.put_bucket_versioning, Bucket=plain_bucket,
                     VersioningConfiguration={"Status": status})
        assert ans.status == 200, ans
        assert s3.get_bucket_versioning(Bucket=plain_bucket)["Status"] == status


def test_mfa_delete_enabled_is_refused_and_leaves_the_configuration_alone(s3, versioned_bucket):
    ans = answer(s3.put_bucket_versioning, Bucket=versioned_bucket,
                 VersioningConfiguration={"Status": "Suspended", "MFADelete": "Enabled"})
    assert ans.status in (400, 403, 501), ans
    assert ans.code in ("NotImplemented", "InvalidRequest", "AccessDenied"), ans
    got = s3.get_bucket_versioning(Bucket=versioned_bucket)
    assert got["Status"] == "Enabled"
    assert got.get("MFADelete") in (None, "Disabled")


# --- 7.1.4 "Creation of New Versions": two PUTs with versioning enabled ---------------------

def test_two_puts_with_versioning_enabled_make_two_versions_newest_first(s3, versioned_bucket):
    # (1) PUT foo → foo = A, foo.v1 = A
    a = put(s3, versioned_bucket, "foo", b"A")
    assert a.status == 200 and HEX_VERSION_ID.match(a.version_id), a
    # (2) PUT foo → foo = B, foo.v2 = B, foo.v1 = A
    b = put(s3, versioned_bucket, "foo", b"B")
    assert HEX_VERSION_ID.match(b.version_id) and b.version_id != a.version_id
    assert shape(all_versions(s3, versioned_bucket)) == [
        ("foo", b.version_id, True, False), ("foo", a.version_id, False, False)]
    latest = get(s3, versioned_bucket, "foo")
    assert (latest.status, latest.body, latest.version_id) == (200, b"B", b.version_id)
    old = get(s3, versioned_bucket, "foo", a.version_id)
    assert (old.status, old.body, old.version_id) == (200, b"A", a.version_id)
    h = head(s3, versioned_bucket, "foo", a.version_id)
    assert (h.status, h.version_id, h.headers["content-length"]) == (200, a.version_id, "1")
    # version IDs sort newest first as plain strings
    assert b.version_id < a.version_id


# --- "Null Version Management", Case 1: null versions are overwritten -----------------------

def test_never_versioned_puts_overwrite_the_null_version(s3, plain_bucket):
    # (1) PUT foo → foo (null) = A ; (2A/2B) PUT foo → foo (null) = B
    first = put(s3, plain_bucket, "foo", b"A")
    second = put(s3, plain_bucket, "foo", b"B")
    assert first.version_id is None and second.version_id is None
    listed = all_versions(s3, plain_bucket)
    assert shape(listed) == [("foo", "null", True, False)]
    assert listed[0].size == 1
    assert get(s3, plain_bucket, "foo").body == b"B"
    by_null = get(s3, plain_bucket, "foo", "null")
    assert (by_null.status, by_null.body) == (200, b"B")


def test_suspended_puts_overwrite_the_null_version_and_answer_version_id_null(s3, plain_bucket):
    set_versioning(s3, plain_bucket, "Suspended")
    for body in (b"A", b"B"):
        ans = put(s3, plain_bucket, "foo", body)
        assert ans.version_id == "null", ans
    assert shape(all_versions(s3, plain_bucket)) == [("foo", "null", True, False)]
    latest = get(s3, plain_bucket, "foo")
    assert (latest.body, latest.version_id) == (b"B", "null")


def test_a_never_versioned_delete_removes_the_object_without_a_marker(s3, plain_bucket):
    put(s3, plain_bucket, "foo", b"A")
    ans = delete(s3, plain_bucket, "foo")
    assert ans.status == 204
    assert ans.delete_marker is None and ans.version_id is None
    assert all_versions(s3, plain_bucket) == []
    assert get(s3, plain_bucket, "foo").code == "NoSuchKey"


# --- Case 2: the null version is preserved when versioning is enabled ----------------------

def test_an_object_put_before_versioning_becomes_the_null_version(s3, plain_bucket):
    put(s3, plain_bucket, "foo", b"A")
    put(s3, plain_bucket, "foo", b"B")            # foo (null) = B
    set_versioning(s3, plain_bucket, "Enabled")
    before = get(s3, plain_bucket, "foo")
    assert (before.body, before.version_id) == (b"B", "null")
    c = put(s3, plain_bucket, "foo", b"C")         # (3A) foo.v1 (null) = B ; (3B) foo.v2 = C
    assert HEX_VERSION_ID.match(c.version_id)
    assert shape(all_versions(s3, plain_bucket)) == [
        ("foo", c.version_id, True, False), ("foo", "null", False, False)]
    latest = get(s3, plain_bucket, "foo")
    assert (latest.body, latest.version_id) == (b"C", c.version_id)
    null = get(s3, plain_bucket, "foo", "null")
    assert (null.status, null.body, null.version_id) == (200, b"B", "null")
    assert head(s3, plain_bucket, "foo", "null").version_id == "null"


# --- Case 3: overwriting a null version that is not the latest -----------------------------

def test_a_suspended_put_replaces_a_null_version_that_is_not_the_latest(s3, plain_bucket):
    put(s3, plain_bucket, "foo", b"B")            # foo (null) = B
    set_versioning(s3, plain_bucket, "Enabled")
    c = put(s3, plain_bucket, "foo", b"C")         # foo.v2 = C (nullVersionId v1), foo.v1 (null) = B
    set_versioning(s3, plain_bucket, "Suspended")
    d = put(s3, plain_bucket, "foo", b"D")         # (4A) DELETE foo.v1 ; (4B) foo (null) = D
    assert d.version_id == "null"
    assert shape(all_versions(s3, plain_bucket)) == [
        ("foo", "null", True, False), ("foo", c.version_id, False, False)]
    assert get(s3, plain_bucket, "foo", "null").body == b"D"
    assert get(s3, plain_bucket, "foo", c.version_id).body == b"C"
    latest = get(s3, plain_bucket, "foo")
    assert (latest.body, latest.version_id) == (b"D", "null")


def test_suspend_enable_suspend_keeps_exactly_one_null_version(s3, plain_bucket):
    set_versioning(s3, plain_bucket, "Enabled")
    v1 = put(s3, plain_bucket, "foo", b"1").version_id
    set_versioning(s3, plain_bucket, "Suspended")
    put(s3, plain_bucket, "foo", b"N1")
    put(s3, plain_bucket, "foo", b"N2")            # master is null: overwritten in place
    assert shape(all_versions(s3, plain_bucket)) == [
        ("foo", "null", True, False), ("foo", v1, False, False)]
    set_versioning(s3, plain_bucket, "Enabled")
    v2 = put(s3, plain_bucket, "foo", b"2").version_id
    v3 = put(s3, plain_bucket, "foo", b"3").version_id
    assert shape(all_versions(s3, plain_bucket)) == [
        ("foo", v3, True, False), ("foo", v2, False, False), ("foo", "null", False, False),
        ("foo", v1, False, False)]
    assert get(s3, plain_bucket, "foo", "null").body == b"N2"
    set_versioning(s3, plain_bucket, "Suspended")
    put(s3, plain_bucket, "foo", b"N3")            # the old null version (below v2) goes
    assert shape(all_versions(s3, plain_bucket)) == [
        ("foo", "null", True, False), ("foo", v3, False, False), ("foo", v2, False, False),
        ("foo", v1, False, False)]
    assert get(s3, plain_bucket, "foo", "null").body == b"N3"


# --- Delete markers -------------------------------------------------------------------------

def test_a_delete_with_versioning_enabled_creates_a_delete_marker(s3, versioned_bucket):
    v1 = put(s3, versioned_bucket, "foo", b"A").version_id
    dm = delete(s3, versioned_bucket, "foo")
    assert dm.status == 204
    assert dm.delete_marker == "true" and HEX_VERSION_ID.match(dm.version_id), dm
    assert dm.response["DeleteMarker"] is True
    assert shape(all_versions(s3, versioned_bucket)) == [
        ("foo", dm.version_id, True, True), ("foo", v1, False, False)]
    assert live_keys(s3, versioned_bucket) == []
    assert s3.list_objects(Bucket=versioned_bucket).get("Contents", []) == []
    # the old version is still there
    assert get(s3, versioned_bucket, "foo", v1).body == b"A"


def test_get_and_head_of_a_key_whose_latest_is_a_delete_marker_are_404_with_the_marker(
        s3, versioned_bucket):
    put(s3, versioned_bucket, "foo", b"A")
    dm = delete(s3, versioned_bucket, "foo")
    g = get(s3, versioned_bucket, "foo")
    assert (g.status, g.code) == (404, "NoSuchKey"), g
    assert g.delete_marker == "true"
    assert g.version_id == dm.version_id
    h = head(s3, versioned_bucket, "foo")
    assert h.status == 404 and h.delete_marker == "true", h
    assert h.version_id == dm.version_id


def test_get_and_head_of_a_delete_marker_by_version_id_are_405(s3, versioned_bucket):
    put(s3, versioned_bucket, "foo", b"A")
    dm = delete(s3, versioned_bucket, "foo")
    g = get(s3, versioned_bucket, "foo", dm.version_id)
    assert (g.status, g.code) == (405, "MethodNotAllowed"), g
    assert g.delete_marker == "true" and g.version_id == dm.version_id
    h = head(s3, versioned_bucket, "foo", dm.version_id)
    assert h.status == 405 and h.delete_marker == "true", h
    assert "last-modified" in h.headers


def test_deleting_the_delete_marker_restores_the_previous_version(s3, versioned_bucket):
    v1 = put(s3, versioned_bucket, "foo", b"A").version_id
    dm = delete(s3, versioned_bucket, "foo")
    gone = delete(s3, versioned_bucket, "foo", dm.version_id)
    assert gone.status == 204
    assert gone.delete_marker == "true" and gone.version_id == dm.version_id, gone
    latest = get(s3, versioned_bucket, "foo")
    assert (latest.body, latest.version_id) == (b"A", v1)
    assert shape(all_versions(s3, versioned_bucket)) == [("foo", v1, True, False)]
    assert live_keys(s3, versioned_bucket) == ["foo"]


def test_deleting_a_missing_key_in_a_versioned_bucket_still_creates_a_delete_marker(
        s3, versioned_bucket):
    dm = delete(s3, versioned_bucket, "never-there")
    assert dm.status == 204 and dm.delete_marker == "true" and HEX_VERSION_ID.match(dm.version_id)
    assert shape(all_versions(s3, versioned_bucket)) == [("never-there", dm.version_id, True, True)]


def test_delete_markers_stack_and_each_one_is_a_version(s3, versioned_bucket):
    v1 = put(s3, versioned_bucket, "foo", b"A").version_id
    d1 = delete(s3, versioned_bucket, "foo").version_id
    d2 = delete(s3, versioned_bucket, "foo").version_id
    assert shape(all_versions(s3, versioned_bucket)) == [
        ("foo", d2, True, True), ("foo", d1, False, True), ("foo", v1, False, False)]
    delete(s3, versioned_bucket, "foo", d2)
    g = get(s3, versioned_bucket, "foo")      # the latest is d1 now: still deleted
    assert g.status == 404 and g.delete_marker == "true" and g.version_id == d1


def test_a_suspended_delete_replaces_the_null_version_with_a_null_delete_marker(s3, plain_bucket):
    put(s3, plain_bucket, "foo", b"N")              # foo (null) = N
    set_versioning(s3, plain_bucket, "Enabled")
    v1 = put(s3, plain_bucket, "foo", b"A").version_id
    set_versioning(s3, plain_bucket, "Suspended")
    dm = delete(s3, plain_bucket, "foo")
    assert dm.status == 204
    assert (dm.delete_marker, dm.version_id) == ("true", "null"), dm
    assert shape(all_versions(s3, plain_bucket)) == [
        ("foo", "null", True, True), ("foo", v1, False, False)]
    g = get(s3, plain_bucket, "foo", "null")
    assert (g.status, g.code, g.delete_marker) == (405, "MethodNotAllowed", "true"), g
    g = get(s3, plain_bucket, "foo")
    assert (g.status, g.code, g.delete_marker, g.version_id) == (404, "NoSuchKey", "true", "null"), g
    # a suspended PUT replaces the null delete marker with a null version
    put(s3, plain_bucket, "foo", b"M")
    assert shape(all_versions(s3, plain_bucket)) == [
        ("foo", "null", True, False), ("foo", v1, False, False)]


# --- deleting specific versions: the master follows -----------------------------------------

def test_deleting_the_latest_version_makes_the_next_one_the_master(s3, versioned_bucket):
    v1 = put(s3, versioned_bucket, "foo", b"A").version_id
    v2 = put(s3, versioned_bucket, "foo", b"B").version_id
    gone = delete(s3, versioned_bucket, "foo", v2)
    assert gone.status == 204 and gone.version_id == v2 and gone.delete_marker is None, gone
    latest = get(s3, versioned_bucket, "foo")
    assert (latest.body, latest.version_id) == (b"A", v1)
    assert shape(all_versions(s3, versioned_bucket)) == [("foo", v1, True, False)]
    missing = get(s3, versioned_bucket, "foo", v2)
    assert (missing.status, missing.code) == (404, "NoSuchVersion"), missing


def test_deleting_a_middle_version_leaves_the_master_alone(s3, versioned_bucket):
    v1 = put(s3, versioned_bucket, "foo", b"A").version_id
    v2 = put(s3, versioned_bucket, "foo", b"B").version_id
    v3 = put(s3, versioned_bucket, "foo", b"C").version_id
    delete(s3, versioned_bucket, "foo", v2)
    assert get(s3, versioned_bucket, "foo").body == b"C"
    assert shape(all_versions(s3, versioned_bucket)) == [
        ("foo", v3, True, False), ("foo", v1, False, False)]


def test_deleting_the_last_version_removes_the_key(s3, versioned_bucket):
    v1 = put(s3, versioned_bucket, "foo", b"A").version_id
    delete(s3, versioned_bucket, "foo", v1)
    assert all_versions(s3, versioned_bucket) == []
    g = get(s3, versioned_bucket, "foo")
    assert (g.status, g.code, g.delete_marker) == (404, "NoSuchKey", None)


def test_deleting_the_latest_version_above_a_delete_marker_hides_the_key(s3, versioned_bucket):
    v1 = put(s3, versioned_bucket, "foo", b"A").version_id
    dm = delete(s3, versioned_bucket, "foo").version_id
    v3 = put(s3, versioned_bucket, "foo", b"C").version_id
    assert live_keys(s3, versioned_bucket) == ["foo"]
    delete(s3, versioned_bucket, "foo", v3)
    g = get(s3, versioned_bucket, "foo")
    assert (g.status, g.delete_marker, g.version_id) == (404, "true", dm)
    assert live_keys(s3, versioned_bucket) == []
    assert shape(all_versions(s3, versioned_bucket)) == [
        ("foo", dm, True, True), ("foo", v1, False, False)]


def test_delete_version_null_removes_the_null_version(s3, plain_bucket):
    put(s3, plain_bucket, "foo", b"N")
    set_versioning(s3, plain_bucket, "Enabled")
    v1 = put(s3, plain_bucket, "foo", b"A").version_id
    gone = delete(s3, plain_bucket, "foo", "null")
    assert gone.status == 204 and gone.version_id == "null", gone
    assert shape(all_versions(s3, plain_bucket)) == [("foo", v1, True, False)]
    g = get(s3, plain_bucket, "foo", "null")
    assert (g.status, g.code) == (404, "NoSuchVersion"), g
    # the null version was the latest: the master follows it
    set_versioning(s3, plain_bucket, "Suspended")
    put(s3, plain_bucket, "foo", b"M")
    delete(s3, plain_bucket, "foo", "null")
    latest = get(s3, plain_bucket, "foo")
    assert (latest.body, latest.version_id) == (b"A", v1)


# --- version IDs named by requests -----------------------------------------------------------

@pytest.mark.parametrize("bad", ["abc", "0" * 56, "zz" * 28, "nul", "NULL"])
def test_an_invalid_version_id_is_400_invalid_argument(s3, versioned_bucket, bad):
    put(s3, versioned_bucket, "foo", b"A")
    g = get(s3, versioned_bucket, "foo", bad)
    assert (g.status, g.code) == (400, "InvalidArgument"), g
    assert head(s3, versioned_bucket, "foo", bad).status == 400
    d = delete(s3, versioned_bucket, "foo", bad)
    assert (d.status, d.code) == (400, "InvalidArgument"), d
    raw = signed(s3, "GET", versioned_bucket, "foo", query={"versionId": bad})
    assert b"Invalid version id specified" in raw.body


def test_an_empty_version_id_is_400_version_id_cannot_be_the_empty_string(s3, versioned_bucket):
    put(s3, versioned_bucket, "foo", b"A")
    for method in ("GET", "HEAD", "DELETE"):
        raw = signed(s3, method, versioned_bucket, "foo", query={"versionId": ""})
        assert raw.status == 400, (method, raw)
        if method != "HEAD":
            assert raw.code == "InvalidArgument", raw
            assert b"<Message>Version id cannot be the empty string</Message>" in raw.body, raw.body
            assert b"<ArgumentName>versionId</ArgumentName>" in raw.body, raw.body
    assert get(s3, versioned_bucket, "foo").body == b"A"


# IDs in the original's client forms (Arsenal VersionID encode): base62 of a 27-character raw
# ID, and hex of a raw ID whose info field is the original's counter "10".
@pytest.mark.parametrize("foreign", [
    "aIBkkw1xTAqH00000000001I4j3QKItW",
    "3938323033383333393231343136393939393939524730303120203130",
], ids=["base62", "hex-counter-10"])
def test_a_version_id_in_the_originals_forms_is_understood(s3, versioned_bucket, foreign):
    put(s3, versioned_bucket, "foo", b"A")
    g = get(s3, versioned_bucket, "foo", foreign)
    assert (g.status, g.code) == (404, "NoSuchVersion"), g
    d = delete(s3, versioned_bucket, "foo", foreign)
    assert (d.status, d.version_id) == (204, foreign), d


def test_a_well_formed_version_id_of_another_key_is_404_no_such_version(s3, versioned_bucket):
    other = put(s3, versioned_bucket, "other", b"X").version_id
    put(s3, versioned_bucket, "foo", b"A")
    g = get(s3, versioned_bucket, "foo", other)
    assert (g.status, g.code) == (404, "NoSuchVersion"), g
    assert head(s3, versioned_bucket, "foo", other).status == 404


def test_put_with_a_version_id_in_the_query_is_400_invalid_argument(s3, versioned_bucket):
    v1 = put(s3, versioned_bucket, "foo", b"A").version_id
    ans = signed(s3, "PUT", versioned_bucket, "foo", query={"versionId": v1}, body=b"B")
    assert (ans.status, ans.code) == (400, "InvalidArgument"), ans
    assert get(s3, versioned_bucket, "foo", v1).body == b"A"


# --- DeleteObjects with VersionId entries ---------------------------------------------------

def test_delete_objects_deletes_versions_and_reports_delete_markers(s3, versioned_bucket):
    a1 = put(s3, versioned_bucket, "a", b"a1").version_id
    a2 = put(s3, versioned_bucket, "a", b"a2").version_id
    put(s3, versioned_bucket, "b", b"b1")
    c_dm = delete(s3, versioned_bucket, "c").version_id
    got = s3.delete_objects(Bucket=versioned_bucket, Delete={"Objects": [
        {"Key": "a", "VersionId": a2},      # a version: permanently
        {"Key": "b"},                       # no version: a new delete marker
        {"Key": "c", "VersionId": c_dm},    # a delete marker, by its ID
    ]})
    assert got.get("Errors", []) == []
    deleted = {d["Key"]: d for d in got["Deleted"]}
    assert deleted["a"]["VersionId"] == a2
    assert "DeleteMarker" not in deleted["a"] or deleted["a"]["DeleteMarker"] is False
    assert deleted["b"]["DeleteMarker"] is True
    b_dm = deleted["b"]["DeleteMarkerVersionId"]
    assert HEX_VERSION_ID.match(b_dm) and "VersionId" not in deleted["b"]
    # S3: "If the specific delete request either creates or deletes a delete marker, Amazon S3
    # returns this element with the version ID of the delete marker."
    assert deleted["c"] == {"Key": "c", "VersionId": c_dm, "DeleteMarker": True,
                            "DeleteMarkerVersionId": c_dm}
    listed = shape(all_versions(s3, versioned_bucket))
    assert listed == [("a", a1, True, False), ("b", b_dm, True, True),
                      ("b", listed[2][1], False, False)]
    assert live_keys(s3, versioned_bucket) == ["a"]


def test_delete_objects_with_version_id_null_and_suspended_markers(s3, plain_bucket):
    put(s3, plain_bucket, "n", b"null")
    set_versioning(s3, plain_bucket, "Suspended")
    got = s3.delete_objects(Bucket=plain_bucket, Delete={"Objects": [
        {"Key": "n", "VersionId": "null"}, {"Key": "m"}]})
    deleted = {d["Key"]: d for d in got["Deleted"]}
    assert deleted["n"]["VersionId"] == "null" and "DeleteMarker" not in deleted["n"]
    assert deleted["m"]["DeleteMarker"] is True and deleted["m"]["DeleteMarkerVersionId"] == "null"
    assert shape(all_versions(s3, plain_bucket)) == [("m", "null", True, True)]


def test_delete_objects_reports_an_invalid_version_id_per_key(s3, versioned_bucket):
    put(s3, versioned_bucket, "a", b"a")
    got = s3.delete_objects(Bucket=versioned_bucket, Delete={"Objects": [
        {"Key": "a", "VersionId": "not-a-version"}, {"Key": "b"}]})
    errors = got.get("Errors", [])
    assert [(e["Key"], e.get("VersionId")) for e in errors] == [("a", "not-a-version")]
    assert errors[0]["Code"] in ("InvalidArgument", "NoSuchVersion")
    assert [d["Key"] for d in got["Deleted"]] == ["b"]


# --- CopyObject from a version ---------------------------------------------------------------

def test_copy_object_from_a_version_id(s3, versioned_bucket):
    v1 = put(s3, versioned_bucket, "src", b"old").version_id
    put(s3, versioned_bucket, "src", b"new")
    ans = answer(s3.copy_object, Bucket=versioned_bucket, Key="dst",
                 CopySource={"Bucket": versioned_bucket, "Key": "src", "VersionId": v1})
    assert ans.status == 200, ans
    assert ans.headers.get("x-amz-copy-source-version-id") == v1
    assert HEX_VERSION_ID.match(ans.version_id)
    got = get(s3, versioned_bucket, "dst")
    assert (got.body, got.version_id) == (b"old", ans.version_id)
    # without a version: the latest
    latest = answer(s3.copy_object, Bucket=versioned_bucket, Key="dst2",
                    CopySource={"Bucket": versioned_bucket, "Key": "src"})
    assert get(s3, versioned_bucket, "dst2").body == b"new"
    assert latest.headers.get("x-amz-copy-source-version-id") not in (None, v1)


def test_copy_object_from_the_null_version(s3, plain_bucket):
    put(s3, plain_bucket, "src", b"null-body")
    set_versioning(s3, plain_bucket, "Enabled")
    put(s3, plain_bucket, "src", b"v1")
    ans = answer(s3.copy_object, Bucket=plain_bucket, Key="dst",
                 CopySource={"Bucket": plain_bucket, "Key": "src", "VersionId": "null"})
    assert ans.status == 200, ans
    assert ans.headers.get("x-amz-copy-source-version-id") == "null"
    assert get(s3, plain_bucket, "dst").body == b"null-body"


def test_copy_object_from_a_delete_marker(s3, versioned_bucket):
    put(s3, versioned_bucket, "src", b"A")
    dm = delete(s3, versioned_bucket, "src").version_id
    latest = answer(s3.copy_object, Bucket=versioned_bucket, Key="dst",
                    CopySource={"Bucket": versioned_bucket, "Key": "src"})
    assert (latest.status, latest.code) == (404, "NoSuchKey"), latest
    by_id = answer(s3.copy_object, Bucket=versioned_bucket, Key="dst",
                   CopySource={"Bucket": versioned_bucket, "Key": "src", "VersionId": dm})
    assert (by_id.status, by_id.code) == (400, "InvalidRequest"), by_id


# --- DeleteBucket -----------------------------------------------------------------------------

def test_a_bucket_holding_only_old_versions_is_not_empty(s3, versioned_bucket):
    put(s3, versioned_bucket, "foo", b"A")
    delete(s3, versioned_bucket, "foo")
    assert live_keys(s3, versioned_bucket) == []
    ans = answer(s3.delete_bucket, Bucket=versioned_bucket)
    assert (ans.status, ans.code) == (409, "BucketNotEmpty"), ans


def test_a_bucket_holding_only_delete_markers_is_not_empty(s3, versioned_bucket):
    delete(s3, versioned_bucket, "foo")
    ans = answer(s3.delete_bucket, Bucket=versioned_bucket)
    assert (ans.status, ans.code) == (409, "BucketNotEmpty"), ans
    # once every version is gone the bucket can go
    for e in all_versions(s3, versioned_bucket):
        delete(s3, versioned_bucket, e.key, e.version_id)
    assert answer(s3.delete_bucket, Bucket=versioned_bucket).status == 204


# --- ListObjectVersions: the manual's LIST example, paging, prefix and delimiter -------------

def test_list_versions_and_list_objects_of_the_manuals_list_example(s3, versioned_bucket):
    # keys foo/bar, bar, qux/quz, quz with versions; plain listings show the masters only
    ids = {}
    for key in ("foo/bar", "qux/quz", "quz"):
        ids[key] = [put(s3, versioned_bucket, key, f"{key}-{i}".encode()).version_id for i in (1, 2)]
    ids["bar"] = [put(s3, versioned_bucket, "bar", b"bar").version_id]
    assert live_keys(s3, versioned_bucket) == ["bar", "foo/bar", "qux/quz", "quz"]
    v1 = s3.list_objects(Bucket=versioned_bucket)
    assert [o["Key"] for o in v1["Contents"]] == ["bar", "foo/bar", "qux/quz", "quz"]
    listed = all_versions(s3, versioned_bucket)
    expected = [(k, vid, i == 0, False) for k in sorted(ids) for i, vid in enumerate(reversed(ids[k]))]
    assert shape(listed) == expected
    # paging one entry at a time gives the same sequence
    assert shape(all_versions(s3, versioned_bucket, page_size=1)) == expected
    assert shape(all_versions(s3, versioned_bucket, page_size=3)) == expected
    # prefix and delimiter
    assert shape(all_versions(s3, versioned_bucket, prefix="qu")) == [
        e for e in expected if e[0].startswith("qu")]
    entries, root = list_versions_raw(s3, versioned_bucket, delimiter="/")
    prefixes = [p.findtext("{http://s3.amazonaws.com/doc/2006-03-01/}Prefix")
                for p in root.findall("{http://s3.amazonaws.com/doc/2006-03-01/}CommonPrefixes")]
    assert prefixes == ["foo/", "qux/"]
    assert [e.key for e in entries] == ["bar", "quz", "quz"]


def test_list_versions_pages_carry_next_markers(s3, versioned_bucket):
    vids = [put(s3, versioned_bucket, "k", str(i).encode()).version_id for i in range(3)]
    page = s3.list_object_versions(Bucket=versioned_bucket, MaxKeys=2)
    assert page["IsTruncated"] is True
    assert [v["VersionId"] for v in page["Versions"]] == [vids[2], vids[1]]
    assert (page["NextKeyMarker"], page["NextVersionIdMarker"]) == ("k", vids[1])
    rest = s3.list_object_versions(Bucket=versioned_bucket, MaxKeys=2, KeyMarker="k",
                                   VersionIdMarker=vids[1])
    assert rest["IsTruncated"] is False
    assert [v["VersionId"] for v in rest["Versions"]] == [vids[0]]
    assert [v["IsLatest"] for v in rest["Versions"]] == [False]
    # a key marker alone skips every version of that key
    after = s3.list_object_versions(Bucket=versioned_bucket, KeyMarker="k")
    assert after.get("Versions", []) == []
