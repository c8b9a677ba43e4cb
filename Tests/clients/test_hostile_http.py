"""Hostile HTTP over raw sockets: malformed heads, oversized heads, bad chunking, slow and
vanishing clients. After each, the server must still serve a normal request."""

from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest
from botocore.exceptions import ClientError

from clientlib import error_code, raw_exchange, read_response, sigv4_headers


def assert_still_serving(server, s3) -> None:
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert isinstance(names, list)


def _head(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@pytest.mark.parametrize("request_bytes", [
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n",
    b"GET / HTTX/1.1\r\nHost: x\r\n\r\n",
    b"G\x00T / HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET\r\nHost: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost x\r\n\r\n",
    b"GET / HTTP/1.1\r\n: novalue\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
    b"PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
], ids=["garbage", "extra-token", "bad-version", "nul-in-method", "no-target", "header-no-colon",
        "empty-header-name", "non-numeric-length", "two-lengths", "length-and-chunked"])
def test_malformed_requests_get_400_and_the_server_keeps_serving(server, s3, request_bytes):
    response = raw_exchange(server.port, request_bytes)
    assert response.status == 400, response
    assert response.closed, "the connection must be closed after a malformed request"
    assert_still_serving(server, s3)


def test_70_kib_of_headers_get_431_or_400_and_close(server, s3):
    lines = ["GET / HTTP/1.1", "Host: 127.0.0.1"] + [f"X-Filler-{i}: {'v' * 1000}" for i in range(70)]
    response = raw_exchange(server.port, _head(lines))
    assert response.status in (431, 400), response
    assert response.closed
    assert_still_serving(server, s3)


def test_201_headers_get_431(server, s3):
    lines = ["GET / HTTP/1.1", "Host: 127.0.0.1"] + [f"X-H{i}: v" for i in range(200)]
    response = raw_exchange(server.port, _head(lines))
    assert response.status == 431, response
    assert response.closed
    assert_still_serving(server, s3)


def test_a_very_long_request_target_is_rejected(server, s3):
    response = raw_exchange(server.port, _head([f"GET /{'a' * 70000} HTTP/1.1", "Host: 127.0.0.1"]))
    assert response.status in (414, 431, 400), response
    assert_still_serving(server, s3)


def _signed_chunked_put(server, bucket: str, key: str, chunks: bytes) -> bytes:
    url = f"{server.endpoint}/{bucket}/{key}"
    headers = sigv4_headers("PUT", url, payload_hash="UNSIGNED-PAYLOAD")
    head = [f"PUT /{bucket}/{key} HTTP/1.1"] + [f"{k}: {v}" for k, v in headers.items()]
    head.append("Transfer-Encoding: chunked")
    return _head(head) + chunks


def test_a_well_formed_chunked_put_is_stored(server, s3, bucket):
    data = _signed_chunked_put(server, bucket, "chunked", b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
    response = raw_exchange(server.port, data, method="PUT")
    assert response.status == 200, response
    assert s3.get_object(Bucket=bucket, Key="chunked")["Body"].read() == b"hello world"


@pytest.mark.parametrize("chunks", [
    b"zz\r\nhello\r\n0\r\n\r\n",
    b"5\r\nhelloXX0\r\n\r\n",
    b"-5\r\nhello\r\n0\r\n\r\n",
    b"fffffffffffffffffffffff\r\nhello\r\n0\r\n\r\n",
], ids=["non-hex-size", "missing-crlf", "negative-size", "overflowing-size"])
def test_a_bad_chunk_in_a_chunked_put_is_400_and_stores_nothing(server, s3, bucket, chunks):
    response = raw_exchange(server.port, _signed_chunked_put(server, bucket, "bad-chunk", chunks), method="PUT")
    assert response.status == 400, response
    assert response.closed
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="bad-chunk")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert_still_serving(server, s3)


def test_a_slowloris_client_is_cut_while_other_clients_are_served(server, s3):
    stop = threading.Event()
    served: list[float] = []
    failures: list[BaseException] = []

    def others():
        while not stop.is_set():
            started = time.monotonic()
            try:
                s3.list_buckets()
                served.append(time.monotonic() - started)
            except Exception as exc:  # noqa: BLE001
                failures.append(exc)
            time.sleep(0.3)

    worker = threading.Thread(target=others)
    worker.start()
    started = time.monotonic()
    cut_after = None
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            sock.settimeout(0.05)
            while time.monotonic() - started < 40:
                try:
                    sock.sendall(b"a")
                except OSError:
                    cut_after = time.monotonic() - started
                    break
                try:
                    sock.recv(4096)  # end of stream, or a 408/400 before the close
                    cut_after = time.monotonic() - started
                    break
                except socket.timeout:
                    pass
                except OSError:
                    cut_after = time.monotonic() - started
                    break
                time.sleep(1)
    finally:
        stop.set()
        worker.join()
    assert cut_after is not None and cut_after <= 20, f"slow client still connected after {cut_after}s"
    assert not failures, failures
    assert served and max(served) < 5, served


def test_a_client_vanishing_mid_body_leaves_no_object(server, s3, bucket):
    url = f"{server.endpoint}/{bucket}/vanished"
    headers = sigv4_headers("PUT", url, payload_hash="UNSIGNED-PAYLOAD")
    head = [f"PUT /{bucket}/vanished HTTP/1.1"] + [f"{k}: {v}" for k, v in headers.items()]
    head.append(f"Content-Length: {1024 * 1024}")
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(_head(head) + b"x" * (100 * 1024))
    time.sleep(0.5)
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="vanished")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert_still_serving(server, s3)


def test_keep_alive_serves_several_requests_on_one_connection(server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"kept")
    url = f"{server.endpoint}/{bucket}/k"
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        for _ in range(3):
            headers = sigv4_headers("GET", url)
            head = [f"GET /{bucket}/k HTTP/1.1"] + [f"{k}: {v}" for k, v in headers.items()]
            sock.sendall(_head(head))
            response = http.client.HTTPResponse(sock, method="GET")
            response.begin()
            assert response.status == 200
            assert response.read() == b"kept"


def test_pipelined_requests_are_answered_in_order(server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="a", Body=b"first")
    s3.put_object(Bucket=bucket, Key="b", Body=b"second")
    data = b""
    for key in ("a", "b"):
        headers = sigv4_headers("GET", f"{server.endpoint}/{bucket}/{key}")
        data += _head([f"GET /{bucket}/{key} HTTP/1.1"] + [f"{k}: {v}" for k, v in headers.items()])
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(data)
        bodies = []
        buffer = b""
        for _ in range(2):
            while b"\r\n\r\n" not in buffer:
                buffer += sock.recv(65536)
            head, buffer = buffer.split(b"\r\n\r\n", 1)
            assert head.startswith(b"HTTP/1.1 200"), head
            length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            while len(buffer) < length:
                buffer += sock.recv(65536)
            bodies.append(buffer[:length])
            buffer = buffer[length:]
    assert bodies == [b"first", b"second"]


def test_an_error_response_is_s3_xml_with_a_request_id(server):
    response = raw_exchange(server.port, _head(["GET /no-such-bucket-anywhere-here HTTP/1.1", "Host: 127.0.0.1"]))
    assert response.status in (403, 404)
    assert error_code(response.body) in ("AccessDenied", "NoSuchBucket")
    assert "x-amz-request-id" in response.headers


def test_expect_100_continue_gets_an_interim_response_before_the_body(server, s3, bucket):
    url = f"{server.endpoint}/{bucket}/expect"
    body = b"e" * 1000
    headers = sigv4_headers("PUT", url, body=body, headers={"Expect": "100-continue"})
    head = [f"PUT /{bucket}/expect HTTP/1.1"] + [f"{k}: {v}" for k, v in headers.items()]
    head.append(f"Content-Length: {len(body)}")
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(_head(head))
        sock.settimeout(5)
        interim = sock.recv(25)
        assert interim.startswith(b"HTTP/1.1 100"), interim
        rest = interim
        while b"\r\n\r\n" not in rest:
            rest += sock.recv(1)
        sock.sendall(body)
        response = read_response(sock, "PUT")
    assert response.status == 200, response
    assert s3.get_object(Bucket=bucket, Key="expect")["Body"].read() == body
