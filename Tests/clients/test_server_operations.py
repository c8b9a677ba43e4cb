"""Operating the server: health probes, the access log, and starting it on the file backend's
directories with S3BACKEND=mem."""

from __future__ import annotations

import json
import time

import requests

from clientlib import Server


def test_health_probes_answer_allowed_addresses_and_refuse_others(restartable_server):
    allowed = restartable_server("allowed").start()
    for url in (f"{allowed.endpoint}/_/healthcheck", f"http://127.0.0.1:{allowed.metrics_port}/live",
                f"http://127.0.0.1:{allowed.metrics_port}/ready"):
        answer = requests.get(url, timeout=10)
        assert answer.status_code == 200, (url, answer.text)
        assert answer.headers["content-type"] == "application/json"
        json.loads(answer.text)
    allowed.stop()

    refused = restartable_server("refused", extra_env={"HEALTHCHECKS_ALLOWFROM": "10.0.0.0/8"}).start()
    answer = requests.get(f"{refused.endpoint}/_/healthcheck", timeout=10)
    assert answer.status_code == 403, answer.text
    assert "<Code>AccessDenied</Code>" in answer.text
    assert f"<RequestId>{answer.headers['x-amz-request-id']}</RequestId>" in answer.text
    for path in ("/live", "/ready"):
        assert requests.get(f"http://127.0.0.1:{refused.metrics_port}{path}", timeout=10).status_code == 403
    refused.stop()


def test_every_request_writes_one_json_log_line_with_numeric_fields(restartable_server):
    srv = restartable_server("logs").start()
    client = srv.client()
    client.create_bucket(Bucket="logged")
    client.put_object(Bucket="logged", Key="a key", Body=b"12345")
    srv.stop()
    lines = [json.loads(line) for line in srv.log_path.read_text().splitlines() if line.startswith("{")]
    put = [line for line in lines if line.get("operation") == "PutObject"]
    assert len(put) == 1, lines
    entry = put[0]
    assert entry["bucket"] == "logged" and entry["key"] == "a key" and entry["method"] == "PUT"
    assert entry["status"] == 200 and entry["bytes_in"] == 5 and entry["bytes_out"] > 0
    assert isinstance(entry["elapsed_ms"], float) and entry["remote"] == "127.0.0.1"
    assert {"time", "level", "req_id"} <= set(entry)
    assert any(line.get("message") == "server started" for line in lines)
    assert any(line.get("message") == "server stopped" for line in lines)


def test_a_mem_backend_start_on_the_file_directories_removes_no_stored_data(tmp_path):
    data, meta = tmp_path / "data", tmp_path / "meta"
    durable = Server(tmp_path / "file", data_dir=data, meta_dir=meta).start()
    client = durable.client()
    client.create_bucket(Bucket="kept")
    client.put_object(Bucket="kept", Key="k", Body=b"stored on disk")
    assert durable.stop() == 0
    # Files older than the process are what a sweep would consider.
    time.sleep(1.1)
    transient = Server(tmp_path / "mem", data_dir=data, meta_dir=meta, backend="mem").start()
    assert transient.client().list_buckets()["Buckets"] == []
    time.sleep(2)
    assert transient.stop() == 0
    durable.start()
    try:
        assert client_body(durable, "kept", "k") == b"stored on disk"
    finally:
        durable.stop()


def client_body(srv: Server, bucket: str, key: str) -> bytes:
    return srv.client().get_object(Bucket=bucket, Key=key)["Body"].read()
