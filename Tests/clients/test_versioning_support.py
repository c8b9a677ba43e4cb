"""Helpers shared by the versioning scenarios (this file holds no tests): answers of boto3
calls as plain values, signed raw requests, and ListObjectVersions read in the server's own
order (boto3 splits Versions and DeleteMarkers into two lists and loses their interleaving)."""

from __future__ import annotations

import http.client
import re
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from botocore.exceptions import ClientError

from clientlib import ACCOUNT1, error_code, sigv4_headers

NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
HEX_VERSION_ID = re.compile(r"^[0-9a-f]{56}$")


@dataclass
class Answer:
    """What a client saw: status, lower-case headers, error code, body (GET only)."""
    status: int
    headers: dict = field(default_factory=dict)
    code: str | None = None
    body: bytes | None = None
    response: dict | None = None

    @property
    def version_id(self) -> str | None:
        return self.headers.get("x-amz-version-id")

    @property
    def delete_marker(self) -> str | None:
        return self.headers.get("x-amz-delete-marker")

    def __repr__(self) -> str:
        shown = {k: v for k, v in self.headers.items()
                 if k.startswith("x-amz-version") or k.startswith("x-amz-delete")}
        return f"Answer({self.status}, code={self.code}, {shown}, body={self.body!r:.60})"


def answer(fn, **kwargs) -> Answer:
    """Runs one boto3 call; errors become answers instead of exceptions. A GetObject body is
    read."""
    try:
        response = fn(**kwargs)
    except ClientError as e:
        meta = e.response.get("ResponseMetadata", {})
        return Answer(meta.get("HTTPStatusCode", 0), dict(meta.get("HTTPHeaders", {})),
                      e.response.get("Error", {}).get("Code"), None, e.response)
    meta = response["ResponseMetadata"]
    body = response["Body"].read() if "Body" in response else None
    return Answer(meta["HTTPStatusCode"], dict(meta["HTTPHeaders"]), None, body, response)


def signed(s3, method: str, bucket: str, key: str = "", query: dict | None = None, body: bytes = b"",
           headers: dict | None = None, creds=ACCOUNT1) -> Answer:
    """One SigV4-signed request built by hand (path-style), for requests boto3 will not send
    or whose raw answer matters."""
    parts = urllib.parse.urlsplit(s3.meta.endpoint_url)
    path = "/" + bucket + ("/" + urllib.parse.quote(key, safe="/~") if key else "")
    qs = urllib.parse.urlencode(sorted((query or {}).items()), quote_via=urllib.parse.quote)
    url = f"{parts.scheme}://{parts.netloc}{path}" + (f"?{qs}" if qs else "")
    all_headers = sigv4_headers(method, url, headers, body, creds=creds)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request(method, path + (f"?{qs}" if qs else ""), body=body or None,
                     headers={k: v for k, v in all_headers.items() if k != "host"})
        resp = conn.getresponse()
        data = resp.read()
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
    finally:
        conn.close()
    code = error_code(data) if resp.status >= 300 else None
    return Answer(resp.status, hdrs, code, data)


@dataclass(frozen=True)
class Entry:
    """One entry of ListObjectVersions, in the order the server listed it."""
    key: str
    version_id: str
    is_latest: bool
    delete_marker: bool
    etag: str | None = None
    size: int | None = None


def list_versions_raw(s3, bucket: str, **query) -> tuple[list[Entry], ET.Element]:
    """One ListObjectVersions page, entries in document order, and the parsed document."""
    q = {"versions": ""}
    q.update({k: str(v) for k, v in query.items()})
    ans = signed(s3, "GET", bucket, query=q)
    assert ans.status == 200, ans
    root = ET.fromstring(ans.body)
    entries = []
    for el in root:
        tag = el.tag.removeprefix(NS)
        if tag not in ("Version", "DeleteMarker"):
            continue
        size = el.findtext(f"{NS}Size")
        entries.append(Entry(
            key=el.findtext(f"{NS}Key"), version_id=el.findtext(f"{NS}VersionId"),
            is_latest=el.findtext(f"{NS}IsLatest") == "true", delete_marker=tag == "DeleteMarker",
            etag=el.findtext(f"{NS}ETag"), size=int(size) if size is not None else None))
    return entries, root


def all_versions(s3, bucket: str, page_size: int = 1000, **query) -> list[Entry]:
    """Every entry of ListObjectVersions, following NextKeyMarker / NextVersionIdMarker."""
    out: list[Entry] = []
    markers: dict = {}
    while True:
        entries, root = list_versions_raw(s3, bucket, **{"max-keys": page_size}, **markers, **query)
        out += entries
        if root.findtext(f"{NS}IsTruncated") != "true":
            return out
        markers = {"key-marker": root.findtext(f"{NS}NextKeyMarker") or "",
                   "version-id-marker": root.findtext(f"{NS}NextVersionIdMarker") or ""}


def live_keys(s3, bucket: str, **kwargs) -> list[str]:
    """Every key ListObjectsV2 shows."""
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, **kwargs):
        keys += [o["Key"] for o in page.get("Contents", [])]
    return keys


def set_versioning(s3, bucket: str, status: str) -> None:
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": status})
