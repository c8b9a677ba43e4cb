"""Durability: kill -9 under load, concurrent writers, a full disk, vanishing uploads."""

from __future__ import annotations

import os
import random
import re
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from clientlib import md5_hex, s3_client, sigv4_headers, unavailable

FANOUT_FILE = re.compile(r"^[0-9a-f]{2}/([0-9a-f]{2}/)?[0-9a-f]{32}$")

KILL_CYCLES = int(os.environ.get("CLIENTS_KILL_CYCLES", "20"))
WRITERS = 4
KEYS_PER_WRITER = 8
SIZES = [0, 1, 700, 4096, 65536, 300_000]


def data_files(data_dir: Path) -> list[str]:
    """Stored data files of the file backend (`xx/<32 hex>`, earlier `xx/yy/<32 hex>`), relative to `data_dir`."""
    found = []
    for path in data_dir.rglob("*"):
        relative = path.relative_to(data_dir).as_posix()
        if path.is_file() and FANOUT_FILE.match(relative):
            found.append(relative)
    return found


def temp_files(data_dir: Path) -> list[str]:
    tmp = data_dir / ".tmp"
    return [p.name for p in tmp.iterdir()] if tmp.exists() else []


class KeyModel:
    """For each key, the states a reader may legitimately see: None (absent) or
    (md5, tag, size). An acknowledged operation narrows it to one state; an operation whose
    outcome is unknown (the server died under it) adds its state to the acceptable ones."""

    def __init__(self, keys: list[str]):
        self.acceptable: dict[str, set] = {key: {None} for key in keys}
        self.lock = threading.Lock()
        self.acknowledged = 0
        self.uncertain = 0

    def settle(self, key: str, state) -> None:
        with self.lock:
            self.acceptable[key] = {state}

    def acknowledge(self, key: str, state) -> None:
        with self.lock:
            self.acceptable[key] = {state}
            self.acknowledged += 1

    def maybe(self, key: str, state) -> None:
        with self.lock:
            self.acceptable[key].add(state)
            self.uncertain += 1


def _load(client, bucket: str, keys: list[str], model: KeyModel, stop: threading.Event, rng: random.Random,
          errors: list):
    """One writer: PUT/overwrite/DELETE its own keys until told to stop or the server dies."""
    try:
        _write_until_stopped(client, bucket, keys, model, stop, rng)
    except BaseException as exc:  # noqa: BLE001  reported by the test
        errors.append(exc)


def _write_until_stopped(client, bucket, keys, model, stop, rng):
    while not stop.is_set():
        key = rng.choice(keys)
        if rng.random() < 0.3:
            state = None
            call = lambda: client.delete_object(Bucket=bucket, Key=key)  # noqa: E731
        else:
            size = rng.choice(SIZES)
            body = rng.randbytes(size)
            tag = uuid.uuid4().hex
            state = (md5_hex(body), tag, size)
            call = lambda: client.put_object(Bucket=bucket, Key=key, Body=body,  # noqa: E731
                                             Metadata={"tag": tag})
        try:
            call()
            model.acknowledge(key, state)
        except ClientError as exc:
            status = exc.response["ResponseMetadata"]["HTTPStatusCode"]
            if status >= 500:
                model.maybe(key, state)
            else:
                raise
        except Exception:  # noqa: BLE001  the connection died: outcome unknown
            model.maybe(key, state)
            return


def _observe(client, bucket: str, key: str):
    try:
        got = client.get_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "NoSuchKey":
            return None
        raise
    body = got["Body"].read()
    assert got["ContentLength"] == len(body)
    return (md5_hex(body), got["Metadata"].get("tag"), len(body))


def _verify(client, bucket: str, model: KeyModel, cycle: int) -> dict:
    observed = {}
    for key, acceptable in model.acceptable.items():
        state = _observe(client, bucket, key)
        assert state in acceptable, (
            f"cycle {cycle}: {key} reads as {state}, acceptable: {acceptable}")
        observed[key] = state
        model.settle(key, state)
    listed = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for entry in page.get("Contents", []):
            listed[entry["Key"]] = entry["Size"]
    expected = {k: s[2] for k, s in observed.items() if s is not None}
    assert listed == expected, f"cycle {cycle}: listing {listed} != objects {expected}"
    return observed


def test_kill_9_under_load_loses_no_acknowledged_write_and_leaves_no_orphans(restartable_server):
    rng = random.Random(int(os.environ.get("CLIENTS_SEED", str(time.time_ns()))))
    server = restartable_server("kill").start()
    bucket = "durability"
    server.client().create_bucket(Bucket=bucket)
    keys = [[f"w{w}/key {i}" for i in range(KEYS_PER_WRITER)] for w in range(WRITERS)]
    model = KeyModel([k for group in keys for k in group])
    for cycle in range(KILL_CYCLES):
        stop = threading.Event()
        errors: list[BaseException] = []
        clients = [server.client(connect_timeout=2, read_timeout=10) for _ in range(WRITERS)]
        workers = [threading.Thread(target=_load, args=(clients[w], bucket, keys[w], model, stop,
                                                        random.Random(rng.random()), errors))
                   for w in range(WRITERS)]
        for worker in workers:
            worker.start()
        time.sleep(rng.uniform(0.2, 1.0))
        server.kill()
        stop.set()
        for worker in workers:
            worker.join(30)
        assert not errors, f"cycle {cycle}: {errors!r}"
        server.start()
        _verify(server.client(), bucket, model, cycle)
        assert temp_files(server.data_dir) == [], f"cycle {cycle}: temp files left after restart"
    # Every data file now predates the next start: the start-up sweep may remove orphans.
    time.sleep(1.1)
    server.kill()
    server.start()
    observed = _verify(server.client(), bucket, model, KILL_CYCLES)
    live = sum(1 for s in observed.values() if s is not None and s[2] > 0)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        files = data_files(server.data_dir)
        if len(files) == live:
            break
        time.sleep(0.5)
    assert len(files) == live, f"{len(files)} data files for {live} live non-empty objects"
    assert server.stop() == 0, server.log_tail()
    assert model.acknowledged >= 10 * KILL_CYCLES, (
        f"only {model.acknowledged} acknowledged operations: the load did not run")
    print(f"{model.acknowledged} acknowledged, {model.uncertain} cut by a kill, {live} live objects")


def test_thirty_two_concurrent_writers_to_one_key_leave_exactly_one_whole_body(server, bucket):
    client = s3_client(server.endpoint, max_pool_connections=40)
    bodies = [bytes([i]) * (64 * 1024 + i * 7919) for i in range(32)]
    barrier = threading.Barrier(32)
    errors: list[BaseException] = []

    def write(body):
        try:
            barrier.wait()
            client.put_object(Bucket=bucket, Key="contended", Body=body)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    got = client.get_object(Bucket=bucket, Key="contended")
    data = got["Body"].read()
    assert data in bodies
    assert got["ETag"] == f'"{md5_hex(data)}"'
    assert got["ContentLength"] == len(data)


def test_an_upload_cut_mid_body_leaves_no_object_and_no_temp_file(restartable_server):
    server = restartable_server("cut").start()
    client = server.client()
    client.create_bucket(Bucket="cut")
    url = f"{server.endpoint}/cut/partial"
    headers = sigv4_headers("PUT", url, payload_hash="UNSIGNED-PAYLOAD")
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"PUT /cut/partial HTTP/1.1\r\n{head}Content-Length: {1024 * 1024}\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(request + os.urandom(100 * 1024))
        time.sleep(0.2)
    deadline = time.monotonic() + 10
    while temp_files(server.data_dir) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert temp_files(server.data_dir) == []
    assert data_files(server.data_dir) == []
    with pytest.raises(ClientError) as e:
        client.head_object(Bucket="cut", Key="partial")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    client.put_object(Bucket="cut", Key="whole", Body=b"fine")
    assert server.stop() == 0, server.log_tail()


@pytest.fixture
def small_disk(tmp_path):
    """An 8 MiB tmpfs, unmounted afterwards."""
    if os.geteuid() != 0:
        unavailable("mounting a tmpfs needs root")
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    out = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        unavailable(f"cannot mount a tmpfs here: {out.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def test_a_full_disk_fails_the_put_with_insufficient_storage_and_keeps_serving(restartable_server, small_disk):
    server = restartable_server("full", data_dir=small_disk / "data").start()
    client = server.client()
    client.create_bucket(Bucket="full")
    small = {f"small{i}": os.urandom(10 * 1024) for i in range(10)}
    for key, body in small.items():
        client.put_object(Bucket="full", Key=key, Body=body)
    with pytest.raises(ClientError) as e:
        client.put_object(Bucket="full", Key="huge", Body=os.urandom(20 * 1024 * 1024))
    status = e.value.response["ResponseMetadata"]["HTTPStatusCode"]
    code = e.value.response["Error"]["Code"]
    assert status >= 500, (status, code)
    assert (status, code) == (507, "InsufficientStorage")
    for key, body in small.items():
        assert client.get_object(Bucket="full", Key=key)["Body"].read() == body
    with pytest.raises(ClientError):
        client.head_object(Bucket="full", Key="huge")
    assert temp_files(server.data_dir) == []
    client.put_object(Bucket="full", Key="after", Body=b"still serving")
    assert client.get_object(Bucket="full", Key="after")["Body"].read() == b"still serving"
    assert server.stop() == 0, server.log_tail()
