"""Multipart upload under kill -9, racing Completes and parallel parts: after every restart
each upload is either listed with its acknowledged parts or completed whole, never half, and
no data file is left that no part or object references."""

from __future__ import annotations

import hashlib
import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

MIB = 1 << 20


def data_files(srv) -> int:
    """Data files of the server (temp files excluded)."""
    count = 0
    for root, dirs, files in os.walk(srv.data_dir):
        dirs[:] = [d for d in dirs if d != ".tmp"]
        count += len(files)
    return count


def referenced_pieces(s3, bucket: str) -> int:
    """Data files the bucket's metadata references: non-empty parts of listed uploads, and
    the pieces of every object (one per part of a multipart object)."""
    total = 0
    for upload in s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []):
        parts = s3.list_parts(Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"]).get("Parts", [])
        total += sum(1 for p in parts if p["Size"] > 0)
    for obj in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
        head = s3.head_object(Bucket=bucket, Key=obj["Key"], PartNumber=1)
        total += head.get("PartsCount", 1) if obj["Size"] > 0 else 0
    return total


def restart(srv):
    """kill -9 happened: wait past the second (the sweep only looks at files older than the
    process), start again on the same directories."""
    time.sleep(1.1)
    srv.start()
    return srv.client()


def assert_no_orphans(srv, s3, bucket: str) -> None:
    expected = referenced_pieces(s3, bucket)
    deadline = time.monotonic() + 10
    while data_files(srv) != expected and time.monotonic() < deadline:
        time.sleep(0.1)
    assert data_files(srv) == expected, f"{data_files(srv)} data files for {expected} referenced pieces"


def test_kill_9_during_upload_part_keeps_every_acknowledged_part(restartable_server):
    srv = restartable_server("parts").start()
    s3 = srv.client()
    bucket = "crash-parts"
    s3.create_bucket(Bucket=bucket)
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
    acked: dict[int, str] = {}
    lock = threading.Lock()
    next_part = iter(range(1, 10_001))
    rng = random.Random(7)
    for cycle in range(10):
        stop = threading.Event()

        def uploader(client):
            while not stop.is_set():
                with lock:
                    number = next(next_part)
                try:
                    out = client.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=number,
                                             Body=os.urandom(rng.choice([1, 64 * 1024, 2 * MIB])))
                except Exception:
                    return
                with lock:
                    acked[number] = out["ETag"]

        threads = [threading.Thread(target=uploader, args=(srv.client(),)) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.05, 0.4))
        srv.kill()
        stop.set()
        for t in threads:
            t.join()
        s3 = restart(srv)
        parts = {}
        marker = 0
        while True:
            page = s3.list_parts(Bucket=bucket, Key="k", UploadId=upload_id, PartNumberMarker=marker)
            parts.update({p["PartNumber"]: p["ETag"] for p in page.get("Parts", [])})
            if not page["IsTruncated"]:
                break
            marker = page["NextPartNumberMarker"]
        missing = {n: e for n, e in acked.items() if parts.get(n) != e}
        assert not missing, f"cycle {cycle}: acknowledged parts lost: {missing}"
        assert_no_orphans(srv, s3, bucket)
    assert len(acked) > 10
    s3.abort_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id)
    assert data_files(srv) == 0
    srv.stop()


def test_kill_9_during_complete_leaves_the_upload_or_the_whole_object(restartable_server):
    srv = restartable_server("complete").start()
    s3 = srv.client()
    bucket = "crash-complete"
    s3.create_bucket(Bucket=bucket)
    rng = random.Random(11)
    for cycle in range(10):
        key = f"k{cycle}"
        bodies = [os.urandom(5 * MIB), os.urandom(5 * MIB), os.urandom(1000)]
        upload_id = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
        parts = []
        for number, body in enumerate(bodies, 1):
            out = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=body)
            parts.append({"PartNumber": number, "ETag": out["ETag"]})
        # A fourth part left out of the completed object: its data goes with the completion.
        s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=9, Body=b"unused")
        client = srv.client()
        done = threading.Thread(target=lambda: _try(lambda: client.complete_multipart_upload(
            Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts})))
        done.start()
        time.sleep(rng.uniform(0.0, 0.03))
        srv.kill()
        done.join()
        s3 = restart(srv)
        listed = [u["UploadId"] for u in s3.list_multipart_uploads(Bucket=bucket, Prefix=key).get("Uploads", [])
                  if u["Key"] == key]
        objects = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=key).get("Contents", [])]
        if listed:
            assert listed == [upload_id] and objects == [], f"cycle {cycle}: both an upload and an object"
            got = s3.list_parts(Bucket=bucket, Key=key, UploadId=upload_id)["Parts"]
            assert [p["PartNumber"] for p in got] == [1, 2, 3, 9]
            s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id,
                                         MultipartUpload={"Parts": parts})
        else:
            assert objects == [key], f"cycle {cycle}: neither the upload nor the object"
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        assert hashlib.md5(body).digest() == hashlib.md5(b"".join(bodies)).digest()
        assert_no_orphans(srv, s3, bucket)
    srv.stop()


def _try(call):
    try:
        call()
    except Exception:
        pass


def test_16_parts_in_parallel_and_two_racing_completes(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="par")["UploadId"]
    bodies = [os.urandom(5 * MIB if n < 16 else 100) for n in range(1, 17)]

    def put(number):
        return s3.upload_part(Bucket=bucket, Key="par", UploadId=upload_id, PartNumber=number,
                              Body=bodies[number - 1])["ETag"]

    with ThreadPoolExecutor(16) as pool:
        etags = list(pool.map(put, range(1, 17)))
    parts = [{"PartNumber": n, "ETag": e} for n, e in enumerate(etags, 1)]

    def complete(_):
        try:
            return s3.complete_multipart_upload(Bucket=bucket, Key="par", UploadId=upload_id,
                                                MultipartUpload={"Parts": parts})["ETag"]
        except s3.exceptions.ClientError as error:
            return error.response["Error"]["Code"]

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(complete, range(2)))
    md5s = b"".join(hashlib.md5(b).digest() for b in bodies)
    expected = f'"{hashlib.md5(md5s).hexdigest()}-16"'
    assert expected in results
    assert all(r in (expected, "NoSuchUpload") for r in results)
    assert s3.get_object(Bucket=bucket, Key="par")["Body"].read() == b"".join(bodies)
