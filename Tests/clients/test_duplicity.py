"""The manual's chapter 6.3: duplicity backs a directory up to the server and restores it.

Debian's duplicity 0.8.22 in two ways: the manual's own, boto 2 with a boto config file
([Credentials], `is_secure = False`) and `s3://127.0.0.1:PORT/bucket/`; and today's boto3
backend, `boto3+s3://bucket/prefix` with `--s3-endpoint-url`. Each makes a full backup, an
incremental one after changes, verifies, prunes with the manual's `remove-older-than`, and
restores into an empty directory, which must equal the source."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from clientlib import run

PASSPHRASE = "mypassphrase"


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def make_source(root: Path) -> Path:
    source = root / "testfolder"
    (source / "sub" / "deeper").mkdir(parents=True)
    (source / "random.bin").write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    (source / "sub" / "notes.txt").write_text("backed up by duplicity\n" * 1000)
    (source / "sub" / "deeper" / "empty").write_bytes(b"")
    (source / "name with spaces.txt").write_text("spaces\n")
    return source


def duplicity_env(home: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "BOTO"))}
    env.update(HOME=str(home), PASSPHRASE=PASSPHRASE, **extra)
    return env


def backup_and_restore(tmp_path: Path, url: str, env: dict, options: list[str]) -> None:
    source = make_source(tmp_path)
    duplicity = ["duplicity", *options]
    full = run([*duplicity, "full", str(source), url], env=env, timeout=600)
    assert "Errors 0" in full.stdout, full.stdout

    (source / "sub" / "notes.txt").write_text("changed after the full backup\n")
    (source / "added.txt").write_text("new in the increment\n")
    (source / "name with spaces.txt").unlink()
    incremental = run([*duplicity, "incremental", str(source), url], env=env, timeout=600)
    assert "Errors 0" in incremental.stdout, incremental.stdout

    run([*duplicity, "verify", url, str(source)], env=env, timeout=600)
    status = run([*duplicity, "collection-status", url], env=env, timeout=600).stdout
    assert "Full" in status and "Incremental" in status, status
    run([*duplicity, "remove-older-than", "1Y", "--force", url], env=env, timeout=600)

    target = tmp_path / "restored"
    run([*duplicity, "restore", url, str(target)], env=env, timeout=600)
    assert tree(target) == tree(source)
    assert not filecmp.dircmp(source, target).diff_files


@pytest.fixture
def duplicity_home(tmp_path):
    if not shutil.which("duplicity"):
        pytest.fail("duplicity is missing: Tests/run-clients.sh installs it (apt-get install duplicity)")
    home = tmp_path / "home"
    home.mkdir()
    yield home
    # duplicity's gpg starts an agent for this HOME; it would outlive the test.
    if (home / ".gnupg").exists() and shutil.which("gpgconf"):
        subprocess.run(["gpgconf", "--homedir", str(home / ".gnupg"), "--kill", "gpg-agent"], timeout=30)


def test_the_manuals_boto_recipe(server, s3, bucket, duplicity_home, tmp_path):
    """boto 2 reads the manual's boto config (here through BOTO_CONFIG instead of /etc/boto.cfg)."""
    config = tmp_path / "boto.cfg"
    config.write_text(
        "[Credentials]\n"
        "aws_access_key_id = accessKey1\n"
        "aws_secret_access_key = verySecretKey1\n"
        "\n"
        "[Boto]\n"
        "# If using SSL, set to True\n"
        "is_secure = False\n")
    env = duplicity_env(duplicity_home, BOTO_CONFIG=str(config))
    backup_and_restore(tmp_path, f"s3://127.0.0.1:{server.port}/{bucket}/", env, [])
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert any(k.startswith("duplicity-full.") for k in keys), keys
    assert any(k.startswith("duplicity-inc.") for k in keys), keys


def test_the_boto3_backend(server, s3, bucket, duplicity_home, tmp_path):
    env = duplicity_env(duplicity_home, AWS_ACCESS_KEY_ID="accessKey1", AWS_SECRET_ACCESS_KEY="verySecretKey1")
    options = ["--s3-endpoint-url", server.endpoint, "--s3-region-name", "us-east-1"]
    backup_and_restore(tmp_path, f"boto3+s3://{bucket}/backups/testfolder", env, options)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys and all(k.startswith("backups/testfolder/duplicity-") for k in keys), keys
