"""The manual's chapter 6.2: a bucket mounted as a filesystem with s3fs (Debian's 1.90), over
plain HTTP here (`-o url=http://...`); the HTTPS variant of the chapter is the TLS tests'.
Files written through the mount are objects for s3cmd and boto3, and objects written by them
show in the mount."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from clientlib import run


@pytest.fixture
def mounted(server, s3cmd, bucket_name, tmp_path):
    """The manual's steps: a password file, a bucket made with s3cmd, a mount point, s3fs."""
    for command, package in (("s3fs", "s3fs"), ("fusermount", "fuse")):
        if not shutil.which(command):
            pytest.fail(f"{command} is missing: Tests/run-clients.sh installs it (apt-get install {package})")
    if not os.path.exists("/dev/fuse"):
        pytest.skip("no /dev/fuse on this machine: s3fs cannot mount")
    passwd = tmp_path / "passwd-s3fs"
    passwd.write_text("accessKey1:verySecretKey1\n")
    passwd.chmod(0o600)
    mountpoint = tmp_path / "tests3fs"
    mountpoint.mkdir()
    s3cmd("mb", f"s3://{bucket_name}")
    mount = subprocess.run(
        ["s3fs", bucket_name, str(mountpoint), "-o", f"passwd_file={passwd}",
         "-o", f"url=http://127.0.0.1:{server.port}/", "-o", "use_path_request_style"],
        capture_output=True, text=True, timeout=60)
    if mount.returncode != 0 and "fuse" in (mount.stderr + mount.stdout).lower():
        s3cmd("rb", f"s3://{bucket_name}")
        pytest.skip(f"this machine refuses FUSE mounts: {mount.stderr.strip()}")
    assert mount.returncode == 0, mount.stderr
    deadline = time.monotonic() + 30
    while not os.path.ismount(mountpoint):
        assert time.monotonic() < deadline, "s3fs did not mount within 30 s"
        time.sleep(0.05)
    yield bucket_name, mountpoint
    if os.path.ismount(mountpoint):
        subprocess.run(["fusermount", "-u", str(mountpoint)], timeout=60)
    s3cmd("del", "--recursive", "--force", f"s3://{bucket_name}", check=False)
    s3cmd("rb", f"s3://{bucket_name}", check=False)


def test_files_in_the_mount_are_objects_and_objects_are_files(mounted, s3cmd, s3):
    bucket, mnt = mounted
    # The manual's example: two files, then a directory with a file.
    for name in ("file1", "file2"):
        (mnt / name).touch()
    (mnt / "dir1").mkdir()
    (mnt / "dir1" / "file3").touch()
    listing = s3cmd("ls", "-r", f"s3://{bucket}").stdout
    for key in ("dir1/", "dir1/file3", "file1", "file2"):
        assert f"s3://{bucket}/{key}\n" in listing + "\n", listing

    body = os.urandom(7 * 1024 * 1024 + 3)
    (mnt / "dir1" / "data.bin").write_bytes(body)
    assert s3.get_object(Bucket=bucket, Key="dir1/data.bin")["Body"].read() == body
    assert (mnt / "dir1" / "data.bin").read_bytes() == body

    s3.put_object(Bucket=bucket, Key="from-boto3.txt", Body=b"written beside the mount\n")
    assert "from-boto3.txt" in os.listdir(mnt)
    assert (mnt / "from-boto3.txt").read_text() == "written beside the mount\n"

    (mnt / "from-boto3.txt").rename(mnt / "dir1" / "renamed.txt")
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert "dir1/renamed.txt" in keys and "from-boto3.txt" not in keys
    (mnt / "file2").unlink()
    assert sorted(os.listdir(mnt)) == ["dir1", "file1"]
    assert sorted(os.listdir(mnt / "dir1")) == ["data.bin", "file3", "renamed.txt"]

    run(["fusermount", "-u", str(mnt)], timeout=60)
    assert not os.path.ismount(mnt)
    assert os.listdir(mnt) == []
