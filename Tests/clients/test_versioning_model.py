"""A randomized model test of versioning: fixed seeds of random operation sequences (put,
delete, delete of a version, suspend, enable, get / head of the latest or of a version, list)
run against the server and against a small reference model of S3 versioning. Every answer
(status, error code, body, `x-amz-version-id` mapped through the model's IDs,
`x-amz-delete-marker`) and every ListObjectVersions / ListObjectsV2 listing must agree.

On a failure the message names the seed and the operations that led there; re-run one
sequence with `pytest -k 'seed-7'`."""

from __future__ import annotations

import hashlib
import random
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from clientlib import BINARY, Server
from conftest import purge_versions
from test_versioning_support import HEX_VERSION_ID, all_versions, answer, live_keys

KEYS = ["a", "b/c", "b/d", "e"]
FILE_SEEDS = list(range(1, 17))
MEM_SEEDS = list(range(101, 105))
OPS_PER_SEQUENCE = 250


@dataclass
class Version:
    """One version in the model: `mid` is the model's own name for it."""
    mid: str
    null: bool
    marker: bool
    body: bytes = b""


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


class Run:
    """One seeded sequence against one bucket; keeps the ID mapping and the operation log."""

    def __init__(self, s3, bucket: str, seed: int):
        self.s3 = s3
        self.bucket = bucket
        self.seed = seed
        self.rng = random.Random(seed)
        self.model = Model()
        self.server_id: dict[str, str] = {}     # model ID → server ID
        self.model_id: dict[str, str] = {}      # server ID → model ID
        self.dead: list[tuple[str, str]] = []   # (key, model ID) of versions deleted for good
        self.log: list[str] = []

    # --- helpers -----------------------------------------------------------------------------

    def fail(self, what: str) -> None:
        history = "\n  ".join(self.log[-25:])
        pytest.fail(f"seed {self.seed}, op {len(self.log)}: {what}\nlast operations:\n  {history}",
                    pytrace=False)

    def check(self, cond: bool, what: str) -> None:
        if not cond:
            self.fail(what)

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
            _, mid = self.rng.choice(self.dead)
            return mid, self.server_id[mid]
        return "null", "null"

    # --- operations ----------------------------------------------------------------------------

    def op_put(self, key: str) -> None:
        body = self.body()
        ans = answer(self.s3.put_object, Bucket=self.bucket, Key=key, Body=body)
        self.log.append(f"put {key} {body!r} -> {ans.status} {ans.version_id}")
        self.check(ans.status == 200, f"put: {ans}")
        self.learn(self.model.put(key, body), ans.version_id, "put")

    def op_delete(self, key: str) -> None:
        ans = answer(self.s3.delete_object, Bucket=self.bucket, Key=key)
        self.log.append(f"delete {key} -> {ans.status} {ans.version_id} dm={ans.delete_marker}")
        before = [v.mid for v in self.model.versions(key)]
        marker = self.model.delete(key)
        self.check(ans.status == 204, f"delete: {ans}")
        if marker is None:
            self.check(ans.delete_marker is None and ans.version_id is None, f"delete: {ans}")
        else:
            self.check(ans.delete_marker == "true", f"delete: {ans} without delete marker")
            self.learn(marker, ans.version_id, "delete")
        self.note_dead(key, before)

    def op_delete_version(self, key: str) -> None:
        target, sent = self.pick_target(key)
        ans = answer(self.s3.delete_object, Bucket=self.bucket, Key=key, VersionId=sent)
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
        self.note_dead(key, before)

    def note_dead(self, key: str, before: list[str]) -> None:
        now = {v.mid for v in self.model.versions(key)}
        for mid in before:
            if mid not in now and mid in self.server_id:
                self.dead.append((key, mid))

    def op_status(self, status: str) -> None:
        ans = answer(self.s3.put_bucket_versioning, Bucket=self.bucket,
                     VersioningConfiguration={"Status": status})
        self.log.append(f"versioning {status} -> {ans.status}")
        self.check(ans.status == 200, f"put versioning: {ans}")
        self.model.status = status

    def op_read_latest(self, key: str, method: str) -> None:
        fn = self.s3.get_object if method == "get" else self.s3.head_object
        ans = answer(fn, Bucket=self.bucket, Key=key)
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
        fn = self.s3.get_object if method == "get" else self.s3.head_object
        ans = answer(fn, Bucket=self.bucket, Key=key, VersionId=sent)
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

    def op_list(self) -> None:
        page = self.rng.choice([1, 2, 3, 1000])
        listed = all_versions(self.s3, self.bucket, page_size=page)
        self.log.append(f"list versions (page {page}) -> {len(listed)} entries")
        got = []
        for e in listed:
            mid = "null" if e.version_id == "null" else self.model_id.get(e.version_id, f"?{e.version_id}")
            got.append((e.key, mid, e.is_latest, e.delete_marker,
                        None if e.delete_marker else (e.etag, e.size)))
        want = []
        for key in sorted(self.model.keys):
            for i, v in enumerate(self.model.keys[key]):
                want.append((key, "null" if v.null else v.mid, i == 0, v.marker,
                             None if v.marker else (f'"{hashlib.md5(v.body).hexdigest()}"', len(v.body))))
        self.check(got == want, f"ListObjectVersions:\n  server {got}\n  model  {want}")
        live = live_keys(self.s3, self.bucket, MaxKeys=self.rng.choice([1, 2, 1000]))
        want_live = sorted(k for k, vs in self.model.keys.items() if vs and not vs[0].marker)
        self.check(live == want_live, f"ListObjectsV2: server {live}, model {want_live}")

    def step(self) -> None:
        key = self.rng.choice(KEYS)
        roll = self.rng.random()
        if roll < 0.28:
            self.op_put(key)
        elif roll < 0.40:
            self.op_delete(key)
        elif roll < 0.54:
            self.op_delete_version(key)
        elif roll < 0.57:
            self.op_status("Suspended")
        elif roll < 0.61:
            self.op_status("Enabled")
        elif roll < 0.72:
            self.op_read_latest(key, self.rng.choice(["get", "get", "head"]))
        elif roll < 0.88:
            self.op_read_version(key, self.rng.choice(["get", "get", "head"]))
        else:
            self.op_list()

    def run(self, ops: int) -> None:
        for _ in range(ops):
            self.step()
        self.op_list()


def run_sequence(s3, seed: int) -> None:
    bucket = f"t-model-{seed}-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    try:
        Run(s3, bucket, seed).run(OPS_PER_SEQUENCE)
    finally:
        purge_versions(s3, bucket)


@pytest.mark.parametrize("seed", FILE_SEEDS, ids=lambda s: f"seed-{s}")
def test_random_sequences_agree_with_the_model_on_the_file_backend(s3, seed):
    run_sequence(s3, seed)


@pytest.fixture(scope="module")
def mem_server(tmp_path_factory):
    if not BINARY.exists():
        pytest.fail(f"no server binary at {BINARY}")
    srv = Server(Path(tmp_path_factory.mktemp("mem")), backend="mem").start()
    yield srv
    srv.stop()


@pytest.mark.parametrize("seed", MEM_SEEDS, ids=lambda s: f"seed-{s}")
def test_random_sequences_agree_with_the_model_on_the_mem_backend(mem_server, seed):
    run_sequence(mem_server.client(), seed)
