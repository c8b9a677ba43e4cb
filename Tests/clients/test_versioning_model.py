"""A randomized model test of versioning: thousands of seeded random operation sequences
(put, delete, delete of a version, suspend, enable, get / head of the latest or of a version,
ListObjectVersions and ListObjects with prefix, delimiter and pagination) run against the
server and against a small reference model of S3 versioning. Every answer (status, error
code, body, `x-amz-version-id` mapped through the model's IDs, `x-amz-delete-marker`) and
every listing page (entries, common prefixes, IsTruncated, next markers) must agree.

Each sequence has a bucket of its own; sequences run on several threads at once, over raw
HTTP (`rawclient`), since boto3's CPU cost per request would be the bottleneck. A failure
names its seed and the operations that led there; re-run those seeds alone with
`MODEL_SEEDS=17,42 Tests/run-clients.sh Tests/clients/test_versioning_model.py`."""

from __future__ import annotations

import hashlib
import os
import random
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from clientlib import BINARY, Server
from rawclient import NS, RawS3
from test_versioning_support import HEX_VERSION_ID

KEYS = ["a", "b/c", "b/d", "b/e/f", "e", "e/x"]
PREFIXES = ["", "", "", "b/", "b", "e", "b/e/"]
OPS_PER_SEQUENCE = 24
FILE_SEQUENCES = 2000
MEM_SEQUENCES = 1000
THREADS = 6
FAILURES_SHOWN = 3


class Mismatch(Exception):
    """The server and the model disagree."""


@dataclass
class Version:
    """One version in the model: `mid` is the model's own name for it."""
    mid: str
    null: bool
    marker: bool
    body: bytes = b""

    @property
    def etag(self) -> str:
        return f'"{hashlib.md5(self.body).hexdigest()}"'


@dataclass
class Model:
    """S3 versioning as a client sees it: per key, its versions newest first; the bucket's
    versioning status (None: never configured)."""
    status: str | None = None
    keys: dict[str, list[Version]] = field(default_factory=dict)
    counter: int = 0

    def new_id(self) -> str:
        self.counter += 1
        return f"m{self.counter}"

    def versions(self, key: str) -> list[Version]:
        return self.keys.setdefault(key, [])

    def null_of(self, key: str) -> Version | None:
        return next((v for v in self.versions(key) if v.null), None)

    def drop_null(self, key: str) -> None:
        self.keys[key] = [v for v in self.versions(key) if not v.null]

    def put(self, key: str, body: bytes) -> Version:
        if self.status == "Enabled":
            v = Version(self.new_id(), null=False, marker=False, body=body)
        else:
            self.drop_null(key)
            v = Version(self.new_id(), null=True, marker=False, body=body)
        self.versions(key).insert(0, v)
        return v

    def delete(self, key: str) -> Version | None:
        if self.status is None:
            self.drop_null(key)
            return None
        if self.status == "Enabled":
            v = Version(self.new_id(), null=False, marker=True)
        else:
            self.drop_null(key)
            v = Version(self.new_id(), null=True, marker=True)
        self.versions(key).insert(0, v)
        return v

    def find(self, key: str, target: str) -> Version | None:
        """`target`: a model ID or "null"."""
        if target == "null":
            return self.null_of(key)
        return next((v for v in self.versions(key) if v.mid == target), None)

    def version_items(self, prefix: str, delimiter: str | None) -> list[tuple]:
        """ListObjectVersions as S3 counts it: ("v", key, version, is latest) per version and
        ("p", common prefix) once, in key order."""
        return self._items(prefix, delimiter, lambda key, vs: [("v", key, v, i == 0) for i, v in enumerate(vs)])

    def live_items(self, prefix: str, delimiter: str | None) -> list[tuple]:
        """ListObjects: ("k", key, latest version) per key whose latest is no delete marker."""
        return self._items(prefix, delimiter,
                           lambda key, vs: [("k", key, vs[0])] if not vs[0].marker else [],
                           live_only=True)

    def _items(self, prefix, delimiter, entries, live_only=False) -> list[tuple]:
        items, rolled = [], set()
        for key in sorted(self.keys, key=lambda k: k.encode()):
            vs = self.keys[key]
            if not vs or not key.startswith(prefix) or (live_only and vs[0].marker):
                continue
            cut = key.find(delimiter, len(prefix)) if delimiter else -1
            if cut >= 0:
                common = key[:cut + len(delimiter)]
                if common not in rolled:
                    rolled.add(common)
                    items.append(("p", common))
                continue
            items += entries(key, vs)
        return items


class Run:
    """One seeded sequence against one bucket; keeps the ID mapping and the operation log."""

    def __init__(self, s3: RawS3, bucket: str, seed: int):
        self.s3 = s3
        self.bucket = bucket
        self.seed = seed
        self.rng = random.Random(seed)
        self.model = Model()
        self.server_id: dict[str, str] = {}     # model ID → server ID
        self.model_id: dict[str, str] = {}      # server ID → model ID
        self.dead: list[str] = []               # model IDs of versions deleted for good
        self.log: list[str] = []

    # --- helpers -----------------------------------------------------------------------------

    def check(self, cond: bool, what: str) -> None:
        if not cond:
            history = "\n  ".join(self.log[-25:])
            raise Mismatch(f"seed {self.seed}, op {len(self.log)}: {what}\nlast operations:\n  {history}")

    def learn(self, v: Version, sid: str | None, what: str) -> None:
        """Records the server's ID of a version the model just created."""
        if v.null:
            self.check(sid == ("null" if self.model.status else None), f"{what}: version id {sid!r}")
            return
        self.check(sid is not None and HEX_VERSION_ID.match(sid) is not None, f"{what}: version id {sid!r}")
        self.check(sid not in self.model_id, f"{what}: version id {sid} reused")
        self.server_id[v.mid] = sid
        self.model_id[sid] = v.mid

    def shown_id(self, v: Version) -> str:
        return "null" if v.null else self.server_id[v.mid]

    def expect_version_header(self, ans, v: Version, what: str) -> None:
        if self.model.status is None:
            return    # never configured: S3 names no version
        self.check(ans.version_id == self.shown_id(v), f"{what}: {ans} expected version {self.shown_id(v)}")

    def body(self) -> bytes:
        return uuid.uuid4().hex[: self.rng.randint(0, 24)].encode()

    def pick_target(self, key: str) -> tuple[str, str]:
        """(model ID or "null", what to send): an existing version, "null", or a dead one."""
        versions = self.model.versions(key)
        roll = self.rng.random()
        if versions and roll < 0.75:
            v = self.rng.choice(versions)
            return ("null", "null") if v.null else (v.mid, self.server_id[v.mid])
        if self.dead and roll < 0.85:
            mid = self.rng.choice(self.dead)
            return mid, self.server_id[mid]
        return "null", "null"

    def note_dead(self, before: list[str], key: str) -> None:
        now = {v.mid for v in self.model.versions(key)}
        self.dead += [mid for mid in before if mid not in now and mid in self.server_id]

    # --- operations ----------------------------------------------------------------------------

    def op_put(self, key: str) -> None:
        body = self.body()
        ans = self.s3.put(self.bucket, key, body)
        self.log.append(f"put {key} {body!r} -> {ans.status} {ans.version_id}")
        self.check(ans.status == 200, f"put: {ans}")
        self.check(ans.headers.get("etag") == f'"{hashlib.md5(body).hexdigest()}"', f"put: {ans}")
        self.learn(self.model.put(key, body), ans.version_id, "put")

    def op_delete(self, key: str) -> None:
        ans = self.s3.delete(self.bucket, key)
        self.log.append(f"delete {key} -> {ans.status} {ans.version_id} dm={ans.delete_marker}")
        before = [v.mid for v in self.model.versions(key)]
        marker = self.model.delete(key)
        self.check(ans.status == 204, f"delete: {ans}")
        if marker is None:
            self.check(ans.delete_marker is None and ans.version_id is None, f"delete: {ans}")
        else:
            self.check(ans.delete_marker == "true", f"delete: {ans} without delete marker")
            self.learn(marker, ans.version_id, "delete")
        self.note_dead(before, key)

    def op_delete_version(self, key: str) -> None:
        target, sent = self.pick_target(key)
        ans = self.s3.delete(self.bucket, key, sent)
        self.log.append(f"delete {key}?versionId={target} -> {ans.status} {ans.version_id} "
                        f"dm={ans.delete_marker}")
        self.check(ans.status == 204, f"delete version: {ans}")
        v = self.model.find(key, target)
        if self.model.status is not None:
            self.check(ans.version_id == sent, f"delete version: {ans}, expected version id {sent}")
        if v is None:
            return
        self.check(ans.delete_marker == ("true" if v.marker else None),
                   f"delete version: {ans}, deleted a {'marker' if v.marker else 'version'}")
        before = [x.mid for x in self.model.versions(key)]
        self.model.keys[key] = [x for x in self.model.versions(key) if x is not v]
        self.note_dead(before, key)

    def op_status(self, status: str) -> None:
        ans = self.s3.put_versioning(self.bucket, status)
        self.log.append(f"versioning {status} -> {ans.status}")
        self.check(ans.status == 200, f"put versioning: {ans}")
        self.model.status = status

    def op_read_latest(self, key: str, method: str) -> None:
        ans = (self.s3.get if method == "get" else self.s3.head)(self.bucket, key)
        self.log.append(f"{method} {key} -> {ans.status} {ans.version_id} dm={ans.delete_marker}")
        versions = self.model.versions(key)
        if not versions:
            self.check(ans.status == 404 and ans.delete_marker is None, f"{method} of nothing: {ans}")
            if method == "get":
                self.check(ans.code == "NoSuchKey", f"{method}: {ans}")
            return
        latest = versions[0]
        if latest.marker:
            self.check(ans.status == 404 and ans.delete_marker == "true",
                       f"{method} with a delete marker on top: {ans}")
            if method == "get":
                self.check(ans.code == "NoSuchKey", f"{method}: {ans}")
        else:
            self.check(ans.status == 200, f"{method}: {ans}, expected 200")
            if method == "get":
                self.check(ans.body == latest.body, f"get: body {ans.body!r}, expected {latest.body!r}")
            else:
                self.check(ans.headers.get("content-length") == str(len(latest.body)), f"head: {ans}")
        self.expect_version_header(ans, latest, method)

    def op_read_version(self, key: str, method: str) -> None:
        target, sent = self.pick_target(key)
        ans = (self.s3.get if method == "get" else self.s3.head)(self.bucket, key, sent)
        self.log.append(f"{method} {key}?versionId={target} -> {ans.status} {ans.version_id} "
                        f"dm={ans.delete_marker}")
        v = self.model.find(key, target)
        if v is None:
            self.check(ans.status == 404, f"{method} of a missing version: {ans}")
            if method == "get":
                self.check(ans.code == "NoSuchVersion", f"{method}: {ans}")
            return
        if v.marker:
            self.check(ans.status == 405 and ans.delete_marker == "true", f"{method} of a marker: {ans}")
            if method == "get":
                self.check(ans.code == "MethodNotAllowed", f"{method}: {ans}")
        else:
            self.check(ans.status == 200, f"{method}: {ans}, expected 200")
            if method == "get":
                self.check(ans.body == v.body, f"get: body {ans.body!r}, expected {v.body!r}")
        self.expect_version_header(ans, v, method)

    # --- listings ------------------------------------------------------------------------------

    def list_versions(self, prefix: str, delimiter: str | None, page: int) -> None:
        """Every page of ListObjectVersions, each the next `page` items of the model's list."""
        items = self.model.version_items(prefix, delimiter)
        self.log.append(f"list versions prefix={prefix!r} delimiter={delimiter!r} max-keys={page} "
                        f"-> {len(items)} items")
        markers: dict = {}
        start = 0
        while True:
            ans = self.s3.list_versions(self.bucket, prefix=prefix or None, delimiter=delimiter,
                                        **{"max-keys": page}, **markers)
            self.check(ans.status == 200, f"ListObjectVersions {markers}: {ans}")
            root = ans.xml()
            want = items[start:start + page]
            got_entries, got_prefixes = [], []
            for el in root:
                tag = el.tag.removeprefix(NS)
                if tag in ("Version", "DeleteMarker"):
                    sid = el.findtext(f"{NS}VersionId")
                    mid = "null" if sid == "null" else self.model_id.get(sid, f"?{sid}")
                    got_entries.append((el.findtext(f"{NS}Key"), mid, el.findtext(f"{NS}IsLatest") == "true",
                                        tag == "DeleteMarker", el.findtext(f"{NS}ETag"), el.findtext(f"{NS}Size")))
                elif tag == "CommonPrefixes":
                    got_prefixes.append(el.findtext(f"{NS}Prefix"))
            want_entries = [(key, "null" if v.null else v.mid, latest, v.marker,
                             None if v.marker else v.etag, None if v.marker else str(len(v.body)))
                            for kind, key, v, latest in (i for i in want if i[0] == "v")]
            want_prefixes = [i[1] for i in want if i[0] == "p"]
            truncated = start + page < len(items)
            where = f"ListObjectVersions page at {start} of {len(items)} ({markers})"
            self.check(got_entries == want_entries, f"{where}:\n  server {got_entries}\n  model  {want_entries}")
            self.check(got_prefixes == want_prefixes, f"{where}: prefixes {got_prefixes}, model {want_prefixes}")
            self.check((root.findtext(f"{NS}IsTruncated") == "true") == truncated, f"{where}: IsTruncated")
            if not truncated:
                return
            last = want[-1]
            next_key = root.findtext(f"{NS}NextKeyMarker")
            next_version = root.findtext(f"{NS}NextVersionIdMarker")
            self.check(next_key == last[1], f"{where}: NextKeyMarker {next_key!r}, model {last[1]!r}")
            want_version = self.shown_id(last[2]) if last[0] == "v" else None
            self.check(next_version == want_version,
                       f"{where}: NextVersionIdMarker {next_version!r}, model {want_version!r}")
            markers = {"key-marker": next_key}
            if next_version is not None:
                markers["version-id-marker"] = next_version
            start += page

    def list_objects(self, prefix: str, delimiter: str | None, page: int, v1: bool) -> None:
        """Every page of ListObjects (V1 with markers or V2 with continuation tokens)."""
        items = self.model.live_items(prefix, delimiter)
        self.log.append(f"list objects v{1 if v1 else 2} prefix={prefix!r} delimiter={delimiter!r} "
                        f"max-keys={page} -> {len(items)} items")
        params: dict = {}
        start = 0
        while True:
            query = {"prefix": prefix or None, "delimiter": delimiter, "max-keys": page, **params}
            if v1:
                ans = self.s3.request("GET", self.bucket, query={k: v for k, v in query.items() if v is not None})
            else:
                ans = self.s3.list_objects_v2(self.bucket, **query)
            self.check(ans.status == 200, f"ListObjects {params}: {ans}")
            root = ans.xml()
            want = items[start:start + page]
            got = [(el.findtext(f"{NS}Key"), el.findtext(f"{NS}ETag"), el.findtext(f"{NS}Size"))
                   for el in root.iter(f"{NS}Contents")]
            got_prefixes = [el.findtext(f"{NS}Prefix") for el in root.iter(f"{NS}CommonPrefixes")]
            want_keys = [(i[1], i[2].etag, str(len(i[2].body))) for i in want if i[0] == "k"]
            want_prefixes = [i[1] for i in want if i[0] == "p"]
            truncated = start + page < len(items)
            where = f"ListObjects v{1 if v1 else 2} page at {start} of {len(items)} ({params})"
            self.check(got == want_keys, f"{where}:\n  server {got}\n  model  {want_keys}")
            self.check(got_prefixes == want_prefixes, f"{where}: prefixes {got_prefixes}, model {want_prefixes}")
            self.check((root.findtext(f"{NS}IsTruncated") == "true") == truncated, f"{where}: IsTruncated")
            if not v1:
                self.check(root.findtext(f"{NS}KeyCount") == str(len(want)), f"{where}: KeyCount")
            if not truncated:
                return
            if v1:
                # NextMarker comes with a delimiter only; clients use the last key otherwise.
                if delimiter:
                    marker = root.findtext(f"{NS}NextMarker")
                    self.check(marker == want[-1][1], f"{where}: NextMarker {marker!r}")
                params = {"marker": want[-1][1]}
            else:
                token = root.findtext(f"{NS}NextContinuationToken")
                self.check(bool(token), f"{where}: no NextContinuationToken")
                params = {"continuation-token": token}
            start += page

    def op_list(self) -> None:
        prefix = self.rng.choice(PREFIXES)
        delimiter = self.rng.choice([None, None, "/"])
        page = self.rng.choice([1, 2, 3, 1000])
        if self.rng.random() < 0.6:
            self.list_versions(prefix, delimiter, page)
        else:
            self.list_objects(prefix, delimiter, page, v1=self.rng.random() < 0.3)

    def step(self) -> None:
        key = self.rng.choice(KEYS)
        roll = self.rng.random()
        if roll < 0.28:
            self.op_put(key)
        elif roll < 0.40:
            self.op_delete(key)
        elif roll < 0.52:
            self.op_delete_version(key)
        elif roll < 0.56:
            self.op_status("Suspended")
        elif roll < 0.61:
            self.op_status("Enabled")
        elif roll < 0.70:
            self.op_read_latest(key, self.rng.choice(["get", "get", "head"]))
        elif roll < 0.82:
            self.op_read_version(key, self.rng.choice(["get", "get", "head"]))
        else:
            self.op_list()

    def run(self, ops: int) -> None:
        self.check(self.s3.create_bucket(self.bucket).status == 200, "create bucket")
        for _ in range(ops):
            self.step()
        self.list_versions("", None, 1000)
        self.list_objects("", None, 1000, v1=False)


def run_sequences(port: int, seeds: list[int]) -> None:
    """Runs every seed on THREADS threads; fails with the first mismatches found."""
    local = threading.local()
    failures: list[str] = []
    lock = threading.Lock()

    def one(seed: int) -> None:
        with lock:
            if len(failures) >= FAILURES_SHOWN:
                return
        if not hasattr(local, "s3"):
            local.s3 = RawS3("127.0.0.1", port)
        try:
            Run(local.s3, f"m{seed}-{uuid.uuid4().hex[:8]}", seed).run(OPS_PER_SEQUENCE)
        except Mismatch as e:
            with lock:
                failures.append(str(e))
        except Exception as e:  # a transport failure: name the seed too
            with lock:
                failures.append(f"seed {seed}, {type(e).__name__}: {e}")

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(one, seeds))
    if failures:
        seeds_failed = ",".join(f.split(",")[0].removeprefix("seed ") for f in failures)
        pytest.fail("\n\n".join(failures) + f"\n\nre-run with MODEL_SEEDS={seeds_failed}", pytrace=False)


def chosen_seeds(default: range) -> list[int]:
    text = os.environ.get("MODEL_SEEDS")
    return [int(s) for s in text.split(",")] if text else list(default)


def model_server(tmp_path_factory, backend: str):
    if not BINARY.exists():
        pytest.fail(f"no server binary at {BINARY}")
    return Server(Path(tmp_path_factory.mktemp(f"model-{backend}")), backend=backend).start()


@pytest.fixture(scope="module")
def file_server(tmp_path_factory):
    srv = model_server(tmp_path_factory, "file")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def mem_server(tmp_path_factory):
    srv = model_server(tmp_path_factory, "mem")
    yield srv
    srv.stop()


def test_random_sequences_agree_with_the_model_on_the_file_backend(file_server):
    run_sequences(file_server.port, chosen_seeds(range(1, FILE_SEQUENCES + 1)))


def test_random_sequences_agree_with_the_model_on_the_mem_backend(mem_server):
    run_sequences(mem_server.port, chosen_seeds(range(100_001, 100_001 + MEM_SEQUENCES)))
