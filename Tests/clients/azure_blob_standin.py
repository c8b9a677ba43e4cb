"""A small stand-in for the Azure Blob service, for the azure location's tests: Put Blob, Put
Block, Put Block List, Get Blob (with ranges and If-Match), Get Blob Properties, Delete Blob
(with If-Match and versionid) and Get Container Properties, on block blobs kept in memory.

Every request's SharedKey signature is checked with the azure-storage-blob SDK's own signer
(azure.storage.blob._shared.authentication.SharedKeyCredentialPolicy), so the server's signer is
checked against Microsoft's canonicalization; a mismatch answers 403 AuthenticationFailed with
the string the SDK signed, as the service does. The stand-in refuses to start without the SDK.

With --versioning the account behaves as one with blob versioning on: every write answers an
x-ms-version-id, and Get/Delete take ?versionid=.

Unsigned inspection endpoints for the tests: GET /_standin/blobs (JSON: every container's
current blobs with size, MD5 and metadata, uncommitted block counts, version counts) and
GET /_standin/requests (JSON: operations seen, in order).

Usage: azure_blob_standin.py --port N --account NAME --key BASE64 --container NAME [...]
       [--versioning]
"""

from __future__ import annotations

import argparse
import base64
import email.utils
import hashlib
import itertools
import json
import re
import sys
import threading
import time
import types
import xml.etree.ElementTree as ElementTree
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from azure.storage.blob._shared.authentication import SharedKeyCredentialPolicy

# The oldest REST API version the stand-in accepts: from it on, a Content-Length of 0 is signed
# as an empty line, as the SDK signs it.
OLDEST_VERSION = "2015-02-21"
MAX_CLOCK_SKEW = 15 * 60
CONTENT_PROPERTIES = {
    "x-ms-blob-content-type": "Content-Type",
    "x-ms-blob-content-encoding": "Content-Encoding",
    "x-ms-blob-content-language": "Content-Language",
    "x-ms-blob-content-disposition": "Content-Disposition",
    "x-ms-blob-cache-control": "Cache-Control",
}


class Blob:
    """One committed block blob (or version of one)."""

    _counter = itertools.count(1)

    def __init__(self, data: bytes, properties: dict, metadata: dict, md5: str | None):
        self.data = data
        self.properties = properties
        self.metadata = metadata
        self.md5 = md5
        self.etag = '"0x8D%013X"' % (int(time.time() * 1000) * 1000 + next(Blob._counter))
        self.version_id = time.strftime("%Y-%m-%dT%H:%M:%S.", time.gmtime()) + "%07dZ" % next(Blob._counter)


class Store:
    """The account's containers: current blobs, versions, and uncommitted blocks per blob name."""

    def __init__(self, containers: list[str], versioning: bool):
        self.lock = threading.Lock()
        self.versioning = versioning
        self.current: dict[str, dict[str, Blob]] = {c: {} for c in containers}
        self.versions: dict[str, dict[str, dict[str, Blob]]] = {c: {} for c in containers}
        self.blocks: dict[str, dict[str, dict[str, bytes]]] = {c: {} for c in containers}
        self.requests: list[dict] = []

    def commit(self, container: str, name: str, blob: Blob) -> None:
        """Makes `blob` the current one; uncommitted blocks of the name are discarded."""
        self.current[container][name] = blob
        self.blocks[container].pop(name, None)
        if self.versioning:
            self.versions[container].setdefault(name, {})[blob.version_id] = blob

    def snapshot(self) -> dict:
        out = {}
        for container, blobs in self.current.items():
            out[container] = {
                "blobs": {name: {"size": len(b.data), "md5": b.md5, "metadata": b.metadata,
                                 "properties": b.properties} for name, b in blobs.items()},
                "uncommitted": {name: len(blocks) for name, blocks in self.blocks[container].items()},
                "versions": {name: len(v) for name, v in self.versions[container].items() if v},
            }
        return out


class ServiceError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def signed_string(account: str, key: str, method: str, url: str, headers: dict) -> tuple[str, str]:
    """The SDK's string to sign and Authorization value for a request as received."""
    captured = {}
    policy = SharedKeyCredentialPolicy(account, key)
    query = {}
    for part in urlsplit(url).query.split("&"):
        if part:
            name, _, value = part.partition("=")
            query[name] = value
    request = types.SimpleNamespace(
        http_request=types.SimpleNamespace(method=method, url=url, headers=dict(headers), query=query),
        context=types.SimpleNamespace(transport=None))
    original = policy._add_authorization_header

    def capture(req, string_to_sign):
        captured["string"] = string_to_sign
        original(req, string_to_sign)

    policy._add_authorization_header = capture
    policy.on_request(request)
    return captured["string"], request.http_request.headers["Authorization"]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "AzureBlobStandIn/1.0"

    # --- plumbing ---------------------------------------------------------------------------

    def log_message(self, fmt, *args):  # quiet: the tests read /_standin/requests instead
        pass

    @property
    def store(self) -> Store:
        return self.server.store

    def lowered_headers(self) -> dict:
        return {name.lower(): value for name, value in self.headers.items()}

    def body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        chunks = []
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 20))
            if not chunk:
                raise ServiceError(400, "InvalidInput", "The request body ended early.")
            chunks.append(chunk)
            length -= len(chunk)
        return b"".join(chunks)

    def answer(self, status: int, headers: dict | None = None, body: bytes = b"", head: bool = False,
               length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("x-ms-request-id", "standin")
        self.send_header("x-ms-version", self.headers.get("x-ms-version", OLDEST_VERSION))
        self.send_header("Date", email.utils.formatdate(usegmt=True))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        if not head and body:
            self.wfile.write(body)

    def fail(self, error: ServiceError) -> None:
        body = (f'<?xml version="1.0" encoding="utf-8"?><Error><Code>{error.code}</Code>'
                f"<Message>{error.message}</Message></Error>").encode()
        self.close_connection = True
        self.answer(error.status, {"x-ms-error-code": error.code, "Content-Type": "application/xml",
                                   "Connection": "close"}, body, head=self.command == "HEAD")

    def authenticate(self) -> None:
        headers = self.lowered_headers()
        version = headers.get("x-ms-version", "")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", version) or version < OLDEST_VERSION:
            raise ServiceError(400, "InvalidHeaderValue", f"The value for x-ms-version is invalid: {version!r}.")
        date = headers.get("x-ms-date") or headers.get("date")
        parsed = email.utils.parsedate_to_datetime(date).timestamp() if date else None
        if parsed is None or abs(parsed - time.time()) > MAX_CLOCK_SKEW:
            raise ServiceError(403, "AuthenticationFailed", f"Request date {date!r} is missing or skewed.")
        url = f"http://{headers.get('host', 'localhost')}{self.path}"
        string, expected = signed_string(self.server.account, self.server.key, self.command, url, headers)
        if headers.get("authorization") != expected:
            raise ServiceError(
                403, "AuthenticationFailed",
                "Server failed to authenticate the request. The MAC signature found in the HTTP request "
                f"'{headers.get('authorization')}' is not the same as any computed signature. Server used "
                f"following string to sign: '{string!r}'.")

    def route(self) -> tuple[str, str | None, dict]:
        split = urlsplit(self.path)
        parts = split.path.lstrip("/").split("/", 1)
        container = unquote(parts[0])
        blob = unquote(parts[1]) if len(parts) > 1 and parts[1] else None
        if container not in self.store.current:
            raise ServiceError(404, "ContainerNotFound", "The specified container does not exist.")
        return container, blob, dict(parse_qsl(split.query, keep_blank_values=True))

    def dispatch(self) -> None:
        if self.path.startswith("/_standin/"):
            return self.inspect()
        try:
            self.authenticate()
            container, blob, query = self.route()
            operation = self.operation(blob, query)
            with self.store.lock:
                self.store.requests.append({"operation": operation, "blob": blob, "query": query})
            getattr(self, "op_" + operation)(container, blob, query)
        except ServiceError as error:
            if self.command in ("PUT", "POST"):
                try:
                    self.body()
                except (ServiceError, OSError):
                    pass
            self.fail(error)

    def operation(self, blob: str | None, query: dict) -> str:
        method, comp = self.command, query.get("comp")
        if blob is None:
            if method in ("GET", "HEAD") and query.get("restype") == "container" and comp is None:
                return "get_container_properties"
        elif method == "PUT" and comp is None:
            return "put_blob"
        elif method == "PUT" and comp == "block":
            return "put_block"
        elif method == "PUT" and comp == "blocklist":
            return "put_block_list"
        elif method in ("GET", "HEAD") and comp is None:
            return "get_blob"
        elif method == "DELETE" and comp is None:
            return "delete_blob"
        raise ServiceError(400, "UnsupportedQueryParameter", f"{method} {query} is not served here.")

    def inspect(self) -> None:
        with self.store.lock:
            if self.path == "/_standin/blobs":
                data = self.store.snapshot()
            elif self.path == "/_standin/requests":
                data = self.store.requests
            else:
                return self.answer(404)
            body = json.dumps(data).encode()
        self.answer(200, {"Content-Type": "application/json"}, body)

    do_GET = do_PUT = do_DELETE = do_HEAD = do_POST = dispatch

    # --- operations -------------------------------------------------------------------------

    def checked_body(self) -> tuple[bytes, str]:
        """The body and its base64 MD5; a Content-MD5 sent must match it."""
        data = self.body()
        md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
        sent = self.headers.get("Content-MD5")
        if sent is not None and sent != md5:
            raise ServiceError(400, "Md5Mismatch", "The MD5 value specified in the request did not match "
                                                   "with the MD5 value calculated by the server.")
        return data, md5

    def written(self, blob: Blob, extra: dict | None = None) -> None:
        headers = {"ETag": blob.etag, "Last-Modified": email.utils.formatdate(usegmt=True),
                   "x-ms-request-server-encrypted": "true", **(extra or {})}
        if self.store.versioning:
            headers["x-ms-version-id"] = blob.version_id
        self.answer(201, headers)

    def properties(self) -> tuple[dict, dict]:
        headers = self.lowered_headers()
        props = {CONTENT_PROPERTIES[n]: v for n, v in headers.items() if n in CONTENT_PROPERTIES}
        metadata = {n[len("x-ms-meta-"):]: v for n, v in headers.items() if n.startswith("x-ms-meta-")}
        for name in metadata:
            if not name.isidentifier():
                raise ServiceError(400, "InvalidMetadata", f"The metadata name {name!r} is invalid.")
        return props, metadata

    def op_get_container_properties(self, container, blob, query):
        self.answer(200, {"ETag": '"0x8D000000000000"', "Last-Modified": email.utils.formatdate(usegmt=True)},
                    head=self.command == "HEAD")

    def op_put_blob(self, container, blob, query):
        if self.headers.get("x-ms-blob-type") != "BlockBlob":
            raise ServiceError(400, "InvalidHeaderValue", "x-ms-blob-type must be BlockBlob here.")
        props, metadata = self.properties()
        data, md5 = self.checked_body()
        stored = Blob(data, props, metadata, self.headers.get("x-ms-blob-content-md5") or md5)
        with self.store.lock:
            self.store.commit(container, blob, stored)
        self.written(stored, {"Content-MD5": md5})

    def op_put_block(self, container, blob, query):
        block_id = query.get("blockid", "")
        try:
            raw = base64.b64decode(block_id, validate=True)
        except ValueError:
            raw = b""
        if not raw or len(raw) > 64:
            raise ServiceError(400, "InvalidQueryParameterValue", f"Invalid blockid {block_id!r}.")
        sent_md5 = self.headers.get("Content-MD5") is not None
        data, md5 = self.checked_body()
        if not data:
            raise ServiceError(400, "InvalidHeaderValue", "A block must hold at least one byte.")
        with self.store.lock:
            blocks = self.store.blocks[container].setdefault(blob, {})
            if any(len(existing) != len(block_id) for existing in blocks):
                raise ServiceError(400, "InvalidBlobOrBlock",
                                   "The specified blob or block content is invalid (block id lengths differ).")
            blocks[block_id] = data
        # As the service: Content-MD5 when one was sent, else a CRC64 (not checked by clients here).
        self.answer(201, {"Content-MD5": md5} if sent_md5 else {"x-ms-content-crc64": "AAAAAAAAAAA="})

    def op_put_block_list(self, container, blob, query):
        props, metadata = self.properties()
        data, _ = self.checked_body()
        try:
            root = ElementTree.fromstring(data)
        except ElementTree.ParseError as error:
            raise ServiceError(400, "InvalidXmlDocument", f"XML specified is not syntactically valid: {error}")
        with self.store.lock:
            uncommitted = self.store.blocks[container].get(blob, {})
            pieces = []
            for element in root:
                block_id = (element.text or "").strip()
                if element.tag in ("Latest", "Uncommitted") and block_id in uncommitted:
                    pieces.append(uncommitted[block_id])
                else:
                    raise ServiceError(400, "InvalidBlockList", "The specified block list is invalid.")
            content = b"".join(pieces)
            stored = Blob(content, props, metadata, self.headers.get("x-ms-blob-content-md5"))
            self.store.commit(container, blob, stored)
        self.written(stored)

    def find(self, container: str, blob: str, query: dict) -> Blob:
        with self.store.lock:
            if "versionid" in query:
                found = self.store.versions[container].get(blob, {}).get(query["versionid"])
            else:
                found = self.store.current[container].get(blob)
        if found is None:
            raise ServiceError(404, "BlobNotFound", "The specified blob does not exist.")
        match = self.headers.get("If-Match")
        if match is not None and match != "*" and match != found.etag:
            raise ServiceError(412, "ConditionNotMet", "The condition specified using HTTP conditional "
                                                       "header(s) is not met.")
        return found

    def op_get_blob(self, container, blob, query):
        found = self.find(container, blob, query)
        headers = {"ETag": found.etag, "x-ms-blob-type": "BlockBlob", "Accept-Ranges": "bytes",
                   **found.properties, **{"x-ms-meta-" + n: v for n, v in found.metadata.items()}}
        if found.md5:
            headers["Content-MD5"] = found.md5
        if self.store.versioning:
            headers["x-ms-version-id"] = found.version_id
        size = len(found.data)
        wanted = self.headers.get("x-ms-range") or self.headers.get("Range")
        status, start, end = 200, 0, size - 1
        if wanted:
            first, _, last = wanted.removeprefix("bytes=").partition("-")
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
            if start >= size:
                raise ServiceError(416, "InvalidRange", "The range specified is invalid for the current size "
                                                        "of the resource.")
            status = 206
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        body = found.data[start:end + 1]
        if self.command == "HEAD":
            return self.answer(200, headers, head=True, length=size)
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body)), "x-ms-request-id": "standin"}.items():
            self.send_header(name, value)
        self.end_headers()
        view = memoryview(body)
        for offset in range(0, len(view), 1 << 20):
            self.wfile.write(view[offset:offset + (1 << 20)])

    def op_delete_blob(self, container, blob, query):
        found = self.find(container, blob, query)
        with self.store.lock:
            if "versionid" in query:
                self.store.versions[container][blob].pop(query["versionid"], None)
                if self.store.current[container].get(blob) is found:
                    del self.store.current[container][blob]
            else:
                del self.store.current[container][blob]
        self.answer(202, {"x-ms-delete-type-permanent": "true"})


class StandInServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, account: str, key: str, containers: list[str], versioning: bool):
        super().__init__(("127.0.0.1", port), Handler)
        self.account, self.key = account, key
        self.store = Store(containers, versioning)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--account", required=True)
    parser.add_argument("--key", required=True, help="the account key, base64")
    parser.add_argument("--container", action="append", required=True)
    parser.add_argument("--versioning", action="store_true")
    args = parser.parse_args(argv)
    server = StandInServer(args.port, args.account, args.key, args.container, args.versioning)
    print(f"azure blob stand-in listening on 127.0.0.1:{args.port}", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
