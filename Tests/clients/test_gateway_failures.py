"""A remote that dies mid-transfer, or is down from the start: requests to its location fail
with 503 ServiceUnavailable, nothing is committed for them, and every other location keeps
serving."""

from __future__ import annotations

import json
import os
import socket
import urllib.request

import pytest
from botocore.exceptions import ClientError

from clientlib import error_code, free_port, read_response, sigv4_headers
from gatewaylib import aws_location, gateway_server

MIB = 1 << 20


def healthcheck(server) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{server.endpoint}/_/healthcheck", timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_remote_killed_mid_transfer_fails_the_put_and_commits_nothing(moto_to_kill, tmp_path):
    server = gateway_server(tmp_path, {"doomed": aws_location(moto_to_kill.port, "gateway-doomed", False)})
    try:
        s3 = server.client()
        s3.create_bucket(Bucket="far", CreateBucketConfiguration={"LocationConstraint": "doomed"})
        s3.create_bucket(Bucket="near", CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
        size = 64 * MIB
        url = f"{server.endpoint}/far/big"
        headers = sigv4_headers("PUT", url, {"content-length": str(size)}, payload_hash="UNSIGNED-PAYLOAD")
        with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
            head = "PUT /far/big HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
            sock.sendall(head.encode())
            block = os.urandom(MIB)
            sent = 0
            try:
                while sent < size:
                    if sent == 8 * MIB:
                        moto_to_kill.kill()
                    sock.sendall(block)
                    sent += len(block)
            except OSError:
                pass  # the server answered and stopped reading
            answer = read_response(sock, "PUT", timeout=60)
        assert answer.status == 503, answer
        assert error_code(answer.body) == "ServiceUnavailable"
        assert s3.list_objects_v2(Bucket="far").get("KeyCount") == 0
        with pytest.raises(ClientError) as again:
            s3.put_object(Bucket="far", Key="small", Body=b"x")
        assert again.value.response["Error"]["Code"] == "ServiceUnavailable"
        s3.put_object(Bucket="near", Key="k", Body=b"still served")
        assert s3.get_object(Bucket="near", Key="k")["Body"].read() == b"still served"
        status, states = healthcheck(server)
        assert status == 200 and states["doomed"]["code"] == 503 and states["us-east-2"]["code"] == 200
    finally:
        assert server.stop() == 0, server.log_tail()


def test_the_server_starts_with_its_remote_down_and_reports_that_location_down(tmp_path):
    nobody = free_port()  # nothing listens there
    server = gateway_server(tmp_path, {"gone": aws_location(nobody, "gateway-gone", True)})
    try:
        status, states = healthcheck(server)
        assert status == 200
        assert states["gone"]["code"] == 503 and states["gone"]["external"] is True
        assert "Connection refused" in states["gone"]["error"]
        assert states["us-east-1"]["code"] == 200
        log = server.log_path.read_text()
        assert '"data location unreachable"' in log and '"location":"gone"' in log
        s3 = server.client()
        s3.create_bucket(Bucket="waiting", CreateBucketConfiguration={"LocationConstraint": "gone"})
        with pytest.raises(ClientError) as refused:
            s3.put_object(Bucket="waiting", Key="k", Body=b"x")
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
        with pytest.raises(ClientError) as refused_mpu:
            s3.create_multipart_upload(Bucket="waiting", Key="k")
        assert refused_mpu.value.response["Error"]["Code"] == "ServiceUnavailable"
        assert s3.list_objects_v2(Bucket="waiting").get("KeyCount") == 0
        s3.create_bucket(Bucket="local")
        s3.put_object(Bucket="local", Key="k", Body=b"fine")
        assert s3.get_object(Bucket="local", Key="k")["Body"].read() == b"fine"
    finally:
        assert server.stop() == 0, server.log_tail()
