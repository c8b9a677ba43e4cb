"""azure locations (S3DATA=multiple) on the Blob service stand-in of azure_blob_standin.py, which
checks every SharedKey signature with the azure-storage-blob SDK's own signer: data must land in
the container as blobs named after the keys (bucketMatch) or `bucket/key`, come back byte for
byte, and leave no blob behind that nothing references. With AZURE_BLOB_ENDPOINT,
AZURE_ACCOUNT, AZURE_KEY and AZURE_CONTAINER set, the last scenario runs against a real storage
account; without them it is skipped, saying so."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socket
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

from clientlib import error_code, read_response, sigv4_headers
from conftest import AwsCli, _unique_name, purge_versions
from gatewaylib import azure_location, gateway_server, local_data_bytes

MIB = 1 << 20
LIVE_VARIABLES = ("AZURE_BLOB_ENDPOINT", "AZURE_ACCOUNT", "AZURE_KEY", "AZURE_CONTAINER")


def healthcheck(server) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{server.endpoint}/_/healthcheck", timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture(scope="module")
def gateway(azure_standin, azure_versioned, tmp_path_factory):
    """One server for the module: azure locations on the stand-in with blobs named as the keys
    or prefixed by the local bucket, one whose account settings come from the
    <location>_AZURE_STORAGE_* variables, one with a wrong key, and one on an account with blob
    versioning."""
    locations = {
        "azure-test": azure_location(azure_standin.port, bucket_match=True),
        "azure-prefixed": azure_location(azure_standin.port, bucket_match=False),
        "azureenv": azure_location(None, bucket_match=False, account="fromfile", key="ZnJvbWZpbGU=",
                                   endpoint="http://127.0.0.1:1"),
        "azure-badkey": azure_location(azure_standin.port, bucket_match=False,
                                       key=base64.b64encode(b"not the account key").decode()),
        "azure-versioned": azure_location(azure_versioned.port, bucket_match=False),
    }
    overrides = {"azureenv_AZURE_STORAGE_ENDPOINT": azure_standin.endpoint,
                 "azureenv_AZURE_STORAGE_ACCOUNT_NAME": "gatewayaccount",
                 "azureenv_AZURE_STORAGE_ACCESS_KEY": locations["azure-test"]["details"]["azureStorageAccessKey"]}
    server = gateway_server(tmp_path_factory.mktemp("gateway-azure"), locations, extra_env=overrides)
    yield server
    assert server.stop() == 0, server.log_tail()


@pytest.fixture
def gs3(gateway):
    return gateway.client()


@pytest.fixture
def make_bucket(gs3, request):
    """Creates local buckets in a location; every version is removed after the test."""
    made = []

    def make(location: str, versioned: bool = False) -> str:
        name = _unique_name(request, "az")
        gs3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": location})
        if versioned:
            gs3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        made.append(name)
        return name

    yield make
    for name in made:
        purge_versions(gs3, name)


def md5_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def test_awscli_copies_200_mib_up_and_back_as_blocks_of_one_blob(gateway, gs3, azure_standin, make_bucket,
                                                                 tmp_path):
    bucket = make_bucket("azure-prefixed")
    source = tmp_path / "big.bin"
    digest = hashlib.md5()
    with open(source, "wb") as out:
        for _ in range(200):
            block = os.urandom(MIB)
            digest.update(block)
            out.write(block)
    before = local_data_bytes(gateway)
    aws = AwsCli(gateway, tmp_path / "aws")
    aws("s3", "cp", "--only-show-errors", str(source), f"s3://{bucket}/big.bin", timeout=600)
    # The parts went straight to the service as blocks: nothing of them was stored here, and
    # the completion committed them without sending their bytes again.
    assert local_data_bytes(gateway) - before < 4 * MIB
    name = f"{bucket}/big.bin"
    assert azure_standin.blobs()[name]["size"] == 200 * MIB
    operations = azure_standin.operations(name)
    assert operations.count("put_block") == 25 and operations.count("put_block_list") == 1
    assert "put_blob" not in operations
    local = gs3.head_object(Bucket=bucket, Key="big.bin")
    assert local["ETag"].endswith('-25"') and local["ContentLength"] == 200 * MIB
    aws("s3", "cp", "--only-show-errors", f"s3://{bucket}/big.bin", str(tmp_path / "back.bin"), timeout=600)
    back = hashlib.md5()
    with open(tmp_path / "back.bin", "rb") as data:
        for block in iter(lambda: data.read(MIB), b""):
            back.update(block)
    assert back.hexdigest() == digest.hexdigest()
    gs3.delete_object(Bucket=bucket, Key="big.bin")
    assert name not in azure_standin.blobs()


def test_a_small_object_is_one_blob_with_its_md5_content_type_and_metadata(gs3, azure_standin, make_bucket):
    bucket = make_bucket("azure-test")
    key = f"{bucket}-small.txt"
    body = b"hello azure"
    put = gs3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="text/plain",
                         Metadata={"color": "blue", "my-key": "v"})
    assert put["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
    blob = azure_standin.blobs()[key]
    assert blob["size"] == len(body) and blob["md5"] == md5_b64(body)
    assert blob["properties"]["Content-Type"] == "text/plain"
    assert blob["metadata"] == {"color": "blue", "my_key": "v"}
    assert azure_standin.operations(key) == ["put_blob"]
    got = gs3.get_object(Bucket=bucket, Key=key)
    assert got["Body"].read() == body and got["Metadata"] == {"color": "blue", "my-key": "v"}
    assert got["ContentType"] == "text/plain"


def test_a_large_single_put_goes_as_blocks_and_the_blob_carries_the_objects_md5(gs3, azure_standin,
                                                                                make_bucket):
    bucket = make_bucket("azure-prefixed")
    body = os.urandom(70 * MIB)
    gs3.put_object(Bucket=bucket, Key="large", Body=body)
    name = f"{bucket}/large"
    assert azure_standin.blobs()[name]["md5"] == md5_b64(body)
    operations = azure_standin.operations(name)
    assert operations.count("put_block") == 9 and operations[-1] == "put_block_list"
    assert gs3.get_object(Bucket=bucket, Key="large")["Body"].read() == body


def test_ranges_are_read_from_the_blob(gs3, make_bucket):
    bucket = make_bucket("azure-test")
    body = os.urandom(MIB + 17)
    key = f"{bucket}-ranged"
    gs3.put_object(Bucket=bucket, Key=key, Body=body)
    for header, expected in [("bytes=0-0", body[:1]), ("bytes=100-199", body[100:200]),
                             ("bytes=-500", body[-500:]), (f"bytes={MIB}-", body[MIB:]),
                             (f"bytes=5-{2 * MIB}", body[5:])]:
        got = gs3.get_object(Bucket=bucket, Key=key, Range=header)
        assert got["Body"].read() == expected, header
        assert got["ContentLength"] == len(expected)
    with pytest.raises(ClientError) as refused:
        gs3.get_object(Bucket=bucket, Key=key, Range=f"bytes={2 * MIB}-")
    assert refused.value.response["Error"]["Code"] == "InvalidRange"


def test_delete_removes_the_blob(gs3, azure_standin, make_bucket):
    bucket = make_bucket("azure-test")
    key = f"{bucket}-doomed"
    gs3.put_object(Bucket=bucket, Key=key, Body=b"soon gone")
    assert key in azure_standin.blobs()
    gs3.delete_object(Bucket=bucket, Key=key)
    assert key not in azure_standin.blobs()
    assert azure_standin.operations(key)[-1] == "delete_blob"
    with pytest.raises(ClientError):
        gs3.head_object(Bucket=bucket, Key=key)


def test_bucket_match_names_blobs_as_the_keys_and_without_it_after_the_bucket(gs3, azure_standin, make_bucket):
    matched = make_bucket("azure-test")
    prefixed = make_bucket("azure-prefixed")
    gs3.put_object(Bucket=matched, Key=f"{matched}/dir/a b+c.txt", Body=b"as the key")
    gs3.put_object(Bucket=prefixed, Key="dir/a b+c.txt", Body=b"after the bucket")
    blobs = azure_standin.blobs()
    assert blobs[f"{matched}/dir/a b+c.txt"]["size"] == len(b"as the key")
    assert blobs[f"{prefixed}/dir/a b+c.txt"]["size"] == len(b"after the bucket")
    assert gs3.get_object(Bucket=prefixed, Key="dir/a b+c.txt")["Body"].read() == b"after the bucket"
    assert gs3.get_bucket_location(Bucket=prefixed)["LocationConstraint"] == "azure-prefixed"


def test_an_overwrite_leaves_one_blob_with_the_new_data(gs3, azure_standin, make_bucket):
    bucket = make_bucket("azure-test")
    key = f"{bucket}-rewritten"
    gs3.put_object(Bucket=bucket, Key=key, Body=b"first")
    gs3.put_object(Bucket=bucket, Key=key, Body=b"second")
    assert azure_standin.blobs()[key]["md5"] == md5_b64(b"second")
    assert gs3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"second"
    gs3.delete_object(Bucket=bucket, Key=key)
    assert key not in azure_standin.blobs()


def test_with_blob_versioning_each_local_version_keeps_its_own_blob_version(gs3, azure_versioned, make_bucket):
    bucket = make_bucket("azure-versioned", versioned=True)
    name = f"{bucket}/kept"
    v1 = gs3.put_object(Bucket=bucket, Key="kept", Body=b"one")["VersionId"]
    v2 = gs3.put_object(Bucket=bucket, Key="kept", Body=b"two")["VersionId"]
    assert azure_versioned.versions(name) == 2
    assert gs3.get_object(Bucket=bucket, Key="kept", VersionId=v1)["Body"].read() == b"one"
    gs3.delete_object(Bucket=bucket, Key="kept")  # a delete marker frees no data
    assert azure_versioned.versions(name) == 2
    gs3.delete_object(Bucket=bucket, Key="kept", VersionId=v1)
    assert azure_versioned.versions(name) == 1
    assert gs3.get_object(Bucket=bucket, Key="kept", VersionId=v2)["Body"].read() == b"two"


def test_without_blob_versioning_an_older_version_whose_blob_was_rewritten_has_no_data(gs3, make_bucket):
    bucket = make_bucket("azure-test", versioned=True)
    key = f"{bucket}-rewritten"
    v1 = gs3.put_object(Bucket=bucket, Key=key, Body=b"one")["VersionId"]
    gs3.put_object(Bucket=bucket, Key=key, Body=b"two")
    # The ETag guard: the old version's data is not read from the newer blob of that name.
    with pytest.raises(ClientError) as refused:
        gs3.get_object(Bucket=bucket, Key=key, VersionId=v1)
    assert refused.value.response["Error"]["Code"] == "InternalError"
    assert gs3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"two"


def test_a_multipart_upload_completes_with_the_chosen_parts_and_an_abort_leaves_no_blob(gs3, azure_standin,
                                                                                       make_bucket):
    bucket = make_bucket("azure-prefixed")
    parts = [os.urandom(5 * MIB), os.urandom(5 * MIB), os.urandom(1000)]
    upload = gs3.create_multipart_upload(Bucket=bucket, Key="mpu", ContentType="application/x-test")
    etags = [gs3.upload_part(Bucket=bucket, Key="mpu", UploadId=upload["UploadId"], PartNumber=n + 1,
                             Body=data)["ETag"] for n, data in enumerate(parts)]
    assert etags == [f'"{hashlib.md5(data).hexdigest()}"' for data in parts]
    assert f"{bucket}/mpu" not in azure_standin.blobs()
    gs3.complete_multipart_upload(
        Bucket=bucket, Key="mpu", UploadId=upload["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etags[0]}, {"PartNumber": 3, "ETag": etags[2]}]})
    assert gs3.get_object(Bucket=bucket, Key="mpu")["Body"].read() == parts[0] + parts[2]
    assert azure_standin.blobs()[f"{bucket}/mpu"]["properties"]["Content-Type"] == "application/x-test"
    aborted = gs3.create_multipart_upload(Bucket=bucket, Key="gone")
    gs3.upload_part(Bucket=bucket, Key="gone", UploadId=aborted["UploadId"], PartNumber=1, Body=b"x")
    gs3.abort_multipart_upload(Bucket=bucket, Key="gone", UploadId=aborted["UploadId"])
    assert f"{bucket}/gone" not in azure_standin.blobs()
    assert gs3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_the_account_settings_come_from_the_location_variables(gs3, azure_standin, make_bucket):
    bucket = make_bucket("azureenv")
    gs3.put_object(Bucket=bucket, Key="k", Body=b"through the variables")
    assert azure_standin.blobs()[f"{bucket}/k"]["size"] == len(b"through the variables")
    assert gs3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"through the variables"


def test_copies_stream_bytes_between_a_file_location_and_an_azure_one(gs3, azure_standin, make_bucket):
    local = make_bucket("us-east-2")
    remote = make_bucket("azure-prefixed")
    body = os.urandom(3 * MIB + 5)
    gs3.put_object(Bucket=local, Key="src", Body=body)
    gs3.copy_object(Bucket=remote, Key="up", CopySource={"Bucket": local, "Key": "src"})
    assert azure_standin.blobs()[f"{remote}/up"]["md5"] == md5_b64(body)
    gs3.copy_object(Bucket=local, Key="down", CopySource={"Bucket": remote, "Key": "up"})
    assert gs3.get_object(Bucket=local, Key="down")["Body"].read() == body


def test_a_signature_the_service_refuses_fails_with_503_and_commits_nothing(gs3, make_bucket):
    bucket = make_bucket("azure-badkey")
    with pytest.raises(ClientError) as refused:
        gs3.put_object(Bucket=bucket, Key="k", Body=b"x")
    error = refused.value.response["Error"]
    assert error["Code"] == "ServiceUnavailable"
    assert "Put Blob answered 403 AuthenticationFailed" in error["Message"]
    assert gs3.list_objects_v2(Bucket=bucket).get("KeyCount") == 0


def test_the_healthcheck_reports_each_azure_location(gateway):
    status, states = healthcheck(gateway)
    assert status == 200
    for name in ("azure-test", "azure-prefixed", "azureenv", "azure-versioned"):
        assert states[name] == {"code": 200, "message": "OK", "external": True}, name
    assert states["azure-badkey"]["code"] == 503 and "AuthenticationFailed" in states["azure-badkey"]["error"]
    assert states["us-east-1"]["code"] == 200


def test_a_killed_service_fails_puts_with_503_and_other_locations_keep_serving(azure_to_kill, tmp_path):
    server = gateway_server(tmp_path, {"doomed": azure_location(azure_to_kill.port, bucket_match=False)})
    try:
        s3 = server.client()
        s3.create_bucket(Bucket="far", CreateBucketConfiguration={"LocationConstraint": "doomed"})
        s3.create_bucket(Bucket="near", CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
        s3.put_object(Bucket="far", Key="before", Body=b"stored while up")
        # A 100 MiB PUT goes as blocks; the service dies after 8 MiB of it.
        size = 100 * MIB
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
                        azure_to_kill.kill()
                    sock.sendall(block)
                    sent += len(block)
            except OSError:
                pass  # the server answered and stopped reading
            answer = read_response(sock, "PUT", timeout=60)
        assert answer.status == 503, answer
        assert error_code(answer.body) == "ServiceUnavailable"
        assert [o["Key"] for o in s3.list_objects_v2(Bucket="far")["Contents"]] == ["before"]
        for call in (lambda: s3.put_object(Bucket="far", Key="small", Body=b"x"),
                     lambda: s3.get_object(Bucket="far", Key="before"),
                     lambda: s3.create_multipart_upload(Bucket="far", Key="mpu")):
            with pytest.raises(ClientError) as refused:
                call()
            assert refused.value.response["Error"]["Code"] == "ServiceUnavailable"
        s3.put_object(Bucket="near", Key="k", Body=b"still served")
        assert s3.get_object(Bucket="near", Key="k")["Body"].read() == b"still served"
        status, states = healthcheck(server)
        assert status == 200 and states["doomed"]["code"] == 503 and states["us-east-2"]["code"] == 200
        assert "Connection refused" in states["doomed"]["error"]
    finally:
        assert server.stop() == 0, server.log_tail()


def test_live_azure_round_trip(tmp_path):
    missing = [name for name in LIVE_VARIABLES if not os.environ.get(name)]
    if missing:
        pytest.skip(f"live Azure tests skipped: {', '.join(missing)} not set (they name a real storage "
                    "account and container to run against)")
    from azure.storage.blob import BlobServiceClient

    env = {name: os.environ[name] for name in LIVE_VARIABLES}
    location = azure_location(None, bucket_match=False, account=env["AZURE_ACCOUNT"], key=env["AZURE_KEY"],
                              container=env["AZURE_CONTAINER"], endpoint=env["AZURE_BLOB_ENDPOINT"])
    server = gateway_server(tmp_path, {"live": location})
    container = BlobServiceClient(
        account_url=env["AZURE_BLOB_ENDPOINT"],
        credential={"account_name": env["AZURE_ACCOUNT"], "account_key": env["AZURE_KEY"]},
    ).get_container_client(env["AZURE_CONTAINER"])
    bucket = f"live-{os.urandom(4).hex()}"
    try:
        s3 = server.client()
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "live"})
        body = os.urandom(MIB + 3)
        s3.put_object(Bucket=bucket, Key="small", Body=body, Metadata={"color": "blue"})
        properties = container.get_blob_client(f"{bucket}/small").get_blob_properties()
        assert properties.size == len(body) and properties.metadata == {"color": "blue"}
        assert s3.get_object(Bucket=bucket, Key="small", Range="bytes=10-19")["Body"].read() == body[10:20]
        parts = [os.urandom(5 * MIB), os.urandom(100)]
        upload = s3.create_multipart_upload(Bucket=bucket, Key="mpu")
        etags = [s3.upload_part(Bucket=bucket, Key="mpu", UploadId=upload["UploadId"], PartNumber=n + 1,
                                Body=data)["ETag"] for n, data in enumerate(parts)]
        s3.complete_multipart_upload(
            Bucket=bucket, Key="mpu", UploadId=upload["UploadId"],
            MultipartUpload={"Parts": [{"PartNumber": n + 1, "ETag": e} for n, e in enumerate(etags)]})
        assert s3.get_object(Bucket=bucket, Key="mpu")["Body"].read() == b"".join(parts)
        for key in ("small", "mpu"):
            s3.delete_object(Bucket=bucket, Key=key)
            assert not container.get_blob_client(f"{bucket}/{key}").exists()
        status, states = healthcheck(server)
        assert states["live"]["code"] == 200
    finally:
        purge_versions(server.client(), bucket)
        assert server.stop() == 0, server.log_tail()
