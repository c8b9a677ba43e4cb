"""One key of a versioned bucket under 16 concurrent clients putting and deleting it, with and
without kill -9 of the server: afterwards the master (what GET, HEAD and ListObjectsV2 show)
is always the newest entry of ListObjectVersions, and every acknowledged write is a version."""

from __future__ import annotations

import random
import threading
import uuid

import boto3
from botocore.config import Config

from clientlib import ACCOUNT1, REGION
from test_versioning_support import Entry, all_versions, answer, live_keys, set_versioning

WRITERS = 16
OPS_PER_WRITER = 10
KILL_CYCLES = 5
KEY = "contended"


def make_clients(endpoint: str, count: int) -> list:
    """`count` boto3 clients without retries, made from one session (its loaded service model
    is shared, which makes 16 clients cheap); made on one thread, used one per thread."""
    session = boto3.session.Session()
    config = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1, "mode": "standard"},
                    connect_timeout=5, read_timeout=30)
    return [session.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCOUNT1[0],
                           aws_secret_access_key=ACCOUNT1[1], region_name=REGION, config=config)
            for _ in range(count)]


class Writers:
    """16 threads, each with its own boto3 client, putting (70%) or deleting the same key;
    every acknowledged request's version ID is kept, in the order each writer got it."""

    def __init__(self, endpoint: str, bucket: str, seed: int, ops: int | None):
        self.endpoint = endpoint
        self.bucket = bucket
        self.seed = seed
        self.ops = ops
        self.lock = threading.Lock()
        self.acknowledged: list[list[str]] = [[] for _ in range(WRITERS)]
        self.failures: list[BaseException] = []
        self.clients = make_clients(endpoint, WRITERS)
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(WRITERS)]

    def _run(self, index: int) -> None:
        rng = random.Random(self.seed * 1000 + index)
        s3 = self.clients[index]
        done = 0
        while self.ops is None or done < self.ops:
            try:
                if rng.random() < 0.7:
                    body = f"{index}-{done}".encode() * rng.randint(0, 3)
                    version = s3.put_object(Bucket=self.bucket, Key=KEY, Body=body)["VersionId"]
                else:
                    version = s3.delete_object(Bucket=self.bucket, Key=KEY)["VersionId"]
            except BaseException as exc:  # noqa: BLE001  the server was killed, or a real failure
                with self.lock:
                    self.failures.append(exc)
                return
            with self.lock:
                self.acknowledged[index].append(version)
            done += 1

    def start(self) -> "Writers":
        for t in self.threads:
            t.start()
        return self

    def join(self) -> None:
        for t in self.threads:
            t.join(120)
            assert not t.is_alive(), "a writer hung"

    def count(self) -> int:
        with self.lock:
            return sum(len(a) for a in self.acknowledged)

    def all_ids(self) -> set[str]:
        with self.lock:
            return {v for a in self.acknowledged for v in a}


def check_master_is_the_newest_version(s3, bucket: str) -> list[Entry]:
    """The newest entry of ListObjectVersions is the only IsLatest one, and GET, HEAD and
    ListObjectsV2 show exactly it (a delete marker: the key is gone, with the marker's ID)."""
    entries = [e for e in all_versions(s3, bucket, page_size=7) if e.key == KEY]
    assert [e.is_latest for e in entries] == [True] + [False] * (len(entries) - 1), entries[:3]
    if not entries:
        assert answer(s3.head_object, Bucket=bucket, Key=KEY).status == 404
        return entries
    newest = entries[0]
    head = answer(s3.head_object, Bucket=bucket, Key=KEY)
    got = answer(s3.get_object, Bucket=bucket, Key=KEY)
    if newest.delete_marker:
        assert (head.status, head.delete_marker, head.version_id) == (404, "true", newest.version_id), head
        assert (got.status, got.code, got.version_id) == (404, "NoSuchKey", newest.version_id), got
        assert live_keys(s3, bucket) == []
    else:
        assert (head.status, head.version_id, head.headers.get("etag")) == (
            200, newest.version_id, newest.etag), (head, newest)
        assert (got.status, got.version_id, len(got.body)) == (200, newest.version_id, newest.size), got
        assert live_keys(s3, bucket) == [KEY]
    return entries


def test_sixteen_clients_putting_and_deleting_one_key_leave_the_master_on_the_newest_version(
        s3, server, versioned_bucket):
    writers = Writers(server.endpoint, versioned_bucket, seed=1, ops=OPS_PER_WRITER).start()
    writers.join()
    assert writers.failures == []
    entries = check_master_is_the_newest_version(s3, versioned_bucket)
    listed = [e.version_id for e in entries]
    assert sorted(listed) == sorted(writers.all_ids())
    assert len(listed) == WRITERS * OPS_PER_WRITER
    # Each writer's requests were sequential, so each one's versions are listed in its order
    # (newest first).
    position = {v: i for i, v in enumerate(listed)}
    for own in writers.acknowledged:
        assert [position[v] for v in own] == sorted((position[v] for v in own), reverse=True)


def test_kill_9_while_sixteen_clients_write_one_key_never_leaves_a_stale_master(restartable_server):
    srv = restartable_server("versions").start()
    bucket = f"t-kill-versions-{uuid.uuid4().hex[:8]}"
    s3 = srv.client()
    s3.create_bucket(Bucket=bucket)
    set_versioning(s3, bucket, "Enabled")
    rng = random.Random(9)
    acknowledged: set[str] = set()
    in_doubt = 0
    for cycle in range(KILL_CYCLES):
        writers = Writers(srv.endpoint, bucket, seed=100 + cycle, ops=None).start()
        # Kill once the writers have been acknowledged a random number of times, so that the
        # kill lands amid requests at a different point each cycle.
        goal = rng.randint(5, 60)
        stop = threading.Event()
        while writers.count() < goal and not stop.wait(0.005):
            assert len(writers.failures) < WRITERS, writers.failures[:1]
        srv.kill()
        writers.join()
        acknowledged |= writers.all_ids()
        in_doubt += WRITERS    # at most one request per writer was cut: committed or not

        srv.start()
        s3 = srv.client()
        entries = check_master_is_the_newest_version(s3, bucket)
        listed = {e.version_id for e in entries}
        assert acknowledged <= listed, f"cycle {cycle}: acknowledged versions lost"
        assert len(listed) <= len(acknowledged) + in_doubt
        # The key still takes writes and the master follows them.
        version = s3.put_object(Bucket=bucket, Key=KEY, Body=b"after restart")["VersionId"]
        acknowledged.add(version)
        assert check_master_is_the_newest_version(s3, bucket)[0].version_id == version
    srv.stop()
