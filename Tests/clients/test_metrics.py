"""Prometheus exposition at /metrics on metricsPort, scraped over HTTP while boto3 works."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request

import botocore.exceptions
import pytest

SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$")


def scrape(port: int) -> tuple[dict[str, float], str, str]:
    """Samples by `name{labels}`, the raw text, and the Content-Type."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
        content_type = response.headers["Content-Type"]
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        assert match, f"not a Prometheus sample line: {line!r}"
        samples[match.group(1) + (match.group(2) or "")] = float(match.group(3))
    return samples, text, content_type


def wait_for(port: int, condition, timeout: float = 10.0) -> dict[str, float]:
    """Scrapes until `condition(samples)` holds: requests are counted just after their answer
    is written, so the last one may need a moment."""
    deadline = time.monotonic() + timeout
    while True:
        samples, _, _ = scrape(port)
        if condition(samples) or time.monotonic() > deadline:
            return samples
        time.sleep(0.05)


def test_the_series_move_with_requests(server, s3, bucket):
    before, text, content_type = scrape(server.metrics_port)
    assert content_type.startswith("text/plain; version=0.0.4")
    for family in ("cloudserver_http_requests_total", "cloudserver_http_request_duration_seconds",
                   "cloudserver_http_open_connections", "cloudserver_metadata_commit_batches",
                   "cloudserver_metadata_commit_fsync_seconds"):
        assert f"# TYPE {family} " in text

    put = 'cloudserver_http_requests_total{operation="PutObject",code="200"}'
    get = 'cloudserver_http_requests_total{operation="GetObject",code="200"}'
    missing = 'cloudserver_http_requests_total{operation="HeadObject",code="404"}'
    received = 'cloudserver_http_received_bytes_total{operation="PutObject"}'
    sent = 'cloudserver_http_sent_bytes_total{operation="GetObject"}'
    latency = 'cloudserver_http_request_duration_seconds_count{operation="GetObject"}'
    commits = "cloudserver_metadata_commit_batches_sum"
    fsyncs = "cloudserver_metadata_commit_fsync_seconds_count"

    body = b"m" * 10_000
    for index in range(3):
        s3.put_object(Bucket=bucket, Key=f"k{index}", Body=body)
    for index in range(3):
        assert s3.get_object(Bucket=bucket, Key=f"k{index}")["Body"].read() == body
    with pytest.raises(botocore.exceptions.ClientError):
        s3.head_object(Bucket=bucket, Key="absent")

    def delta(samples, name):
        return samples.get(name, 0) - before.get(name, 0)

    after = wait_for(server.metrics_port, lambda s: delta(s, missing) >= 1 and delta(s, get) >= 3)
    assert delta(after, put) == 3
    assert delta(after, get) == 3
    assert delta(after, missing) == 1
    assert delta(after, received) == 3 * len(body)
    assert delta(after, sent) > 3 * len(body)
    assert delta(after, latency) == 3
    assert delta(after, commits) >= 3
    assert delta(after, fsyncs) >= 1
    assert after["cloudserver_http_open_connections"] >= 1


def test_metrics_are_refused_outside_health_check_addresses(restartable_server):
    srv = restartable_server(extra_env={"HEALTHCHECKS_ALLOWFROM": "10.0.0.0/8"}).start()
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{srv.metrics_port}/metrics", timeout=10)
        raise AssertionError("/metrics answered an address outside healthChecks.allowFrom")
    except urllib.error.HTTPError as error:
        assert error.code == 403
    assert srv.stop() == 0
