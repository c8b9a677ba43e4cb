"""A 4 GiB object streamed in and out: exact bytes back, and the server's memory stays flat."""
import hashlib
import http.client
import os
import threading
import time
from urllib.parse import urlsplit

import pytest

from clientlib import s3_client

GIB = 1 << 30
BLOCK = 1 << 20
RSS_LIMIT_MB = 150


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


class PeakRSS:
    """Samples a process's resident memory until stopped; keeps the peak."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def blocks(total: int):
    """Deterministic, incompressible-looking blocks: a random 1 MiB block, each copy salted by its index."""
    seed = os.urandom(BLOCK)
    for index in range(total // BLOCK):
        yield index.to_bytes(8, "big") + seed[8:]


def connection(url: str) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=120), f"{parts.path}?{parts.query}"


def test_a_4_gib_object_goes_in_and_out_with_flat_memory(server, bucket):
    client = s3_client(server.endpoint)
    size = 4 * GIB
    put_url = client.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "big"}, ExpiresIn=3600)
    get_url = client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "big"}, ExpiresIn=3600)
    sent = hashlib.md5()
    with PeakRSS(server.proc.pid) as put_memory:
        conn, target = connection(put_url)
        conn.putrequest("PUT", target)
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        for block in blocks(size):
            sent.update(block)
            conn.send(block)
        response = conn.getresponse()
        body = response.read()
        assert response.status == 200, body
        assert response.getheader("ETag") == f'"{sent.hexdigest()}"'
        conn.close()
    with PeakRSS(server.proc.pid) as get_memory:
        conn, target = connection(get_url)
        conn.request("GET", target)
        response = conn.getresponse()
        assert response.status == 200
        assert int(response.getheader("Content-Length")) == size
        received, count = hashlib.md5(), 0
        while chunk := response.read(4 * BLOCK):
            received.update(chunk)
            count += len(chunk)
        conn.close()
    assert count == size and received.hexdigest() == sent.hexdigest()
    client.delete_object(Bucket=bucket, Key="big")
    print(f"peak RSS: PUT {put_memory.peak:.0f} MB, GET {get_memory.peak:.0f} MB")
    assert put_memory.peak < RSS_LIMIT_MB, f"RSS reached {put_memory.peak:.0f} MB during the PUT"
    assert get_memory.peak < RSS_LIMIT_MB, f"RSS reached {get_memory.peak:.0f} MB during the GET"


def test_a_body_over_5_gib_is_refused_before_it_is_read(server, bucket):
    client = s3_client(server.endpoint)
    url = client.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "huge"}, ExpiresIn=600)
    conn, target = connection(url)
    conn.putrequest("PUT", target)
    conn.putheader("Content-Length", str(5 * GIB + 1))
    conn.endheaders()
    response = conn.getresponse()
    assert response.status == 400 and b"<Code>EntityTooLarge</Code>" in response.read()
    conn.close()
    with pytest.raises(client.exceptions.ClientError):
        client.head_object(Bucket=bucket, Key="huge")
