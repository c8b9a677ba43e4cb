#!/usr/bin/env python3
"""Driver of Benchmarks/instructions.sh: talks to a server running under callgrind.

For each operation in OPS: builds N raw requests (SigV4 pre-signed query or Authorization
header, signed by botocore), zeroes the callgrind counters (callgrind_control -z), sends the
requests one after another on one keep-alive connection, dumps the counters
(callgrind_control -d) and prints the instructions per request. Environment: PORT, SERVER
(the valgrind PID), WORK (its --callgrind-out-file directory), OUT (where dumps are kept),
N, OPS.
"""
import glob
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

PORT = int(os.environ["PORT"])
SERVER = os.environ["SERVER"]
WORK = os.environ["WORK"]
OUT = os.environ["OUT"]
N = int(os.environ["N"])
OPS = os.environ["OPS"].split(",")
HOST = f"127.0.0.1:{PORT}"
ENDPOINT = f"http://{HOST}"
ACCESS, SECRET, REGION = "accessKey1", "verySecretKey1", "us-east-1"
BUCKET = "instr"
BODY = os.urandom(4096)
KEYS = [f"obj/key{i:05d}" for i in range(N)]


def client():
    cfg = Config(signature_version="s3v4", region_name=REGION, s3={"addressing_style": "path"},
                 retries={"max_attempts": 1}, connect_timeout=60, read_timeout=600)
    return boto3.client("s3", endpoint_url=ENDPOINT, aws_access_key_id=ACCESS,
                        aws_secret_access_key=SECRET, config=cfg)


def wait_ready(deadline):
    while time.monotonic() < deadline:
        if not os.path.exists(f"/proc/{SERVER}"):
            sys.exit("instructions.py: the server exited")
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
            return
        except OSError:
            time.sleep(0.5)
    sys.exit("instructions.py: the server did not start listening")


def presigned(s3, method, key):
    op = {"PUT": "put_object", "GET": "get_object", "HEAD": "head_object"}[method]
    url = s3.generate_presigned_url(op, Params={"Bucket": BUCKET, "Key": key}, ExpiresIn=604800)
    u = urllib.parse.urlsplit(url)
    body = BODY if method == "PUT" else b""
    head = f"{method} {u.path}?{u.query} HTTP/1.1\r\nHost: {HOST}\r\n"
    if body:
        head += f"Content-Length: {len(body)}\r\n"
    return (head + "\r\n").encode() + body


def header_signed(method, key):
    body = BODY if method == "PUT" else b""
    request = AWSRequest(method=method, url=f"{ENDPOINT}/{BUCKET}/{key}", data=body)
    request.headers["x-amz-content-sha256"] = hashlib.sha256(body).hexdigest()
    SigV4Auth(Credentials(ACCESS, SECRET), "s3", REGION).add_auth(request)
    head = f"{method} /{BUCKET}/{key} HTTP/1.1\r\nHost: {HOST}\r\n"
    for name, value in request.headers.items():
        head += f"{name}: {value}\r\n"
    if body:
        head += f"Content-Length: {len(body)}\r\n"
    return (head + "\r\n").encode() + body


class Connection:
    """One keep-alive connection that reads each answer whole before the next request."""

    def __init__(self):
        self.sock = socket.create_connection(("127.0.0.1", PORT), timeout=600)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def exchange(self, raw, is_head):
        self.sock.sendall(raw)
        while b"\r\n\r\n" not in self.buf:
            self.recv()
        end = self.buf.index(b"\r\n\r\n") + 4
        head = self.buf[:end].decode("latin-1")
        self.buf = self.buf[end:]
        status = int(head.split(" ", 2)[1])
        length = 0
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        if is_head:
            length = 0
        while len(self.buf) < length:
            self.recv()
        self.buf = self.buf[length:]
        return status

    def recv(self):
        data = self.sock.recv(65536)
        if not data:
            sys.exit("instructions.py: the server closed the connection")
        self.buf += data


def callgrind(flag):
    subprocess.run(["callgrind_control", flag, SERVER], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def total_instructions(path):
    with open(path) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    sys.exit(f"instructions.py: no totals in {path}")


def measure(name, requests, is_head):
    conn = Connection()
    conn.exchange(requests[0], is_head)  # the connection is accepted and warm before counting
    callgrind("-z")
    failures = 0
    for raw in requests:
        if conn.exchange(raw, is_head) >= 300:
            failures += 1
    before = set(glob.glob(f"{WORK}/callgrind.out*"))
    callgrind("-d")
    dumps = sorted(set(glob.glob(f"{WORK}/callgrind.out*")) - before, key=os.path.getmtime)
    if not dumps:
        sys.exit("instructions.py: callgrind_control -d wrote no dump")
    shutil.copy(dumps[-1], f"{OUT}/callgrind.out.{name}")
    per = total_instructions(dumps[-1]) / len(requests)
    print(f"{name:16} {per:12,.0f} instructions/request  (N={len(requests)}, failures={failures})",
          flush=True)
    if failures:
        sys.exit(f"instructions.py: {failures} {name} requests failed")


def main():
    wait_ready(time.monotonic() + 120)
    s3 = client()
    s3.create_bucket(Bucket=BUCKET)
    seed = Connection()
    for key in KEYS:  # every GET and HEAD finds its object
        if seed.exchange(presigned(s3, "PUT", key), False) != 200:
            sys.exit("instructions.py: seeding failed")
    for op in OPS:
        kind, _, style = op.partition("_")
        method = {"head": "HEAD", "get": "GET", "put": "PUT"}[kind]
        if style == "presigned":
            requests = [presigned(s3, method, key) for key in KEYS]
        elif style == "signed":
            requests = [header_signed(method, key) for key in KEYS]
        else:
            sys.exit(f"instructions.py: unknown operation {op}")
        measure(op, requests, method == "HEAD")


main()
