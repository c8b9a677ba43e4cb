"""A small S3 client over http.client for tests that send tens of thousands of requests:
SigV4-signed (clientlib.sigv4_headers), one keep-alive connection, answers as plain values.
boto3 spends about 5 ms of CPU per request here; this spends a tenth of that, so a test can
afford thousands of operation sequences. This file holds no tests."""

from __future__ import annotations

import http.client
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from clientlib import ACCOUNT1, error_code, sigv4_headers

NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


@dataclass
class Reply:
    """Status, lower-case headers, body, and the S3 error code of an error."""
    status: int
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    code: str | None = None

    @property
    def version_id(self) -> str | None:
        return self.headers.get("x-amz-version-id")

    @property
    def delete_marker(self) -> str | None:
        return self.headers.get("x-amz-delete-marker")

    def xml(self) -> ET.Element:
        return ET.fromstring(self.body)

    def __repr__(self) -> str:
        shown = {k: v for k, v in self.headers.items() if k.startswith(("x-amz-version", "x-amz-delete"))}
        return f"Reply({self.status}, code={self.code}, {shown}, body={self.body[:80]!r})"


class RawS3:
    """Path-style requests to one endpoint on one keep-alive connection (one thread's)."""

    def __init__(self, host: str, port: int, creds=ACCOUNT1):
        self.host, self.port, self.creds = host, port, creds
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, bucket: str, key: str = "", query: dict | None = None,
                body: bytes = b"", headers: dict | None = None) -> Reply:
        path = "/" + bucket + ("/" + urllib.parse.quote(key, safe="/~") if key else "")
        qs = "&".join(f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(str(v), safe='-_.~')}"
                      for k, v in sorted((query or {}).items()))
        target = path + ("?" + qs if qs else "")
        signed = sigv4_headers(method, f"http://{self.host}:{self.port}{target}", headers, body, creds=self.creds)
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(method, target, body=body or None, headers=signed)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection: one fresh try.
                self.close()
                if attempt:
                    raise
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
        if hdrs.get("connection", "").lower() == "close":
            self.close()
        code = error_code(data) if resp.status >= 300 and data else None
        return Reply(resp.status, hdrs, data, code)

    # --- the operations the model test sends ---------------------------------------------------

    def create_bucket(self, bucket: str) -> Reply:
        return self.request("PUT", bucket)

    def put_versioning(self, bucket: str, status: str) -> Reply:
        body = (f'<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                f"<Status>{status}</Status></VersioningConfiguration>").encode()
        return self.request("PUT", bucket, query={"versioning": ""}, body=body)

    def put(self, bucket: str, key: str, body: bytes) -> Reply:
        return self.request("PUT", bucket, key, body=body)

    def get(self, bucket: str, key: str, version_id: str | None = None) -> Reply:
        return self.request("GET", bucket, key, query={"versionId": version_id} if version_id else None)

    def head(self, bucket: str, key: str, version_id: str | None = None) -> Reply:
        return self.request("HEAD", bucket, key, query={"versionId": version_id} if version_id else None)

    def delete(self, bucket: str, key: str, version_id: str | None = None) -> Reply:
        return self.request("DELETE", bucket, key, query={"versionId": version_id} if version_id else None)

    def list_versions(self, bucket: str, **params) -> Reply:
        query = {"versions": ""}
        query.update({k: v for k, v in params.items() if v is not None})
        return self.request("GET", bucket, query=query)

    def list_objects_v2(self, bucket: str, **params) -> Reply:
        query = {"list-type": "2"}
        query.update({k: v for k, v in params.items() if v is not None})
        return self.request("GET", bucket, query=query)
