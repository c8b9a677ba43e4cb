#!/usr/bin/env python3
"""Builds the Dockerfile's runtime stage without a Docker engine, and runs it.

There is no Docker engine on these machines. This script comes as close as they allow: a
Debian 12 minbase root filesystem from debootstrap (what debian:bookworm-slim is made of), on
which the runtime stage's instructions are carried out as Docker would (RUN in a chroot, COPY
from the repository, the build stage's binary as `COPY --from=build` brings it, ARG, WORKDIR,
USER), then ENTRYPOINT + CMD run in the chroot (network shared with the host) and are driven
from outside with boto3; HEALTHCHECK's command runs in the chroot too.

    python3 Tests/docker/simulate_image.py --binary BIN [--rootfs DIR] [--user scality]

BIN is a release build as the build stage makes it:
    swift build -c release --product cloudserver --static-swift-stdlib
Needs root (chroot, mounts), debootstrap and network access to Debian's archive. Not part of
the test suite (a few minutes and a few hundred MB); the README says what it showed.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests" / "clients"))
from clientlib import free_port, s3_client  # noqa: E402


def sh(*args: str, **kwargs) -> subprocess.CompletedProcess:
    print("+", " ".join(shlex.quote(a) for a in args), flush=True)
    return subprocess.run(args, check=True, **kwargs)


class Image:
    """The runtime stage, carried out on a root filesystem."""

    def __init__(self, rootfs: Path, binary: Path, build_args: dict):
        self.rootfs = rootfs
        self.binary = binary
        self.args = dict(build_args)
        self.workdir = "/"
        self.user = "root"
        self.entrypoint: list[str] = []
        self.cmd: list[str] = []
        self.healthcheck: list[str] = []

    def path(self, inside: str) -> Path:
        return self.rootfs / inside.lstrip("/")

    def build(self) -> None:
        stages = (REPO / "Dockerfile").read_text().replace("\\\n", " ").split("\nFROM ")
        instructions = {"ARG": self.arg, "RUN": self.run, "COPY": self.copy, "WORKDIR": self.set_workdir,
                        "USER": self.set_user, "ENTRYPOINT": self.set_entrypoint, "CMD": self.set_cmd,
                        "HEALTHCHECK": self.set_healthcheck, "EXPOSE": lambda rest: None}
        for line in stages[-1].splitlines()[1:]:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            keyword, _, rest = line.partition(" ")
            if keyword not in instructions:
                raise SystemExit(f"the simulation does not know the instruction {keyword}")
            instructions[keyword](rest.strip())

    def substitute(self, text: str) -> str:
        for name, value in self.args.items():
            text = text.replace("${" + name + "}", value).replace("$" + name, value)
        return text

    def arg(self, rest: str) -> None:
        name, _, default = rest.partition("=")
        self.args.setdefault(name, default)

    def run(self, rest: str) -> None:
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND": "noninteractive", **self.args}
        sh("chroot", str(self.rootfs), "/bin/sh", "-c", rest, env=env)

    def copy(self, rest: str) -> None:
        words = shlex.split(rest)
        from_stage = any(w.startswith("--from=") for w in words)
        *sources, dest = [w for w in words if not w.startswith("--")]
        target = Path(self.workdir) / dest
        for source in sources:
            origin = self.binary if from_stage else REPO / source
            destination = target / Path(source).name if dest.endswith("/") or len(sources) > 1 else target
            self.path(str(destination)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, self.path(str(destination)))

    def set_workdir(self, rest: str) -> None:
        self.workdir = rest
        self.path(rest).mkdir(parents=True, exist_ok=True)

    def set_user(self, rest: str) -> None:
        self.user = self.substitute(rest)

    def set_entrypoint(self, rest: str) -> None:
        self.entrypoint = json.loads(rest)

    def set_cmd(self, rest: str) -> None:
        self.cmd = json.loads(rest)

    def set_healthcheck(self, rest: str) -> None:
        self.healthcheck = json.loads(rest.split(" CMD ", 1)[1])

    def chroot(self, command: list[str], env: dict, **kwargs):
        userspec = self.user if self.user != "root" else "0:0"
        if not userspec.replace(":", "").isdigit():
            userspec = f"{userspec}:{userspec}"
        inner = f"cd {shlex.quote(self.workdir)} && exec " + " ".join(shlex.quote(c) for c in command)
        chroot = shutil.which("chroot") or "/usr/sbin/chroot"
        return [chroot, f"--userspec={userspec}", str(self.rootfs), "/bin/sh", "-c", inner], {
            "env": {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": self.workdir, **env}, **kwargs}


def debootstrap(rootfs: Path) -> None:
    if (rootfs / "etc" / "debian_version").exists():
        return
    sh("debootstrap", "--variant=minbase", "bookworm", str(rootfs), "http://deb.debian.org/debian")


def wait_listening(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, f"the server exited {proc.returncode}"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, "the server did not listen"
            time.sleep(0.1)


def start(image: Image, env: dict) -> subprocess.Popen:
    command, options = image.chroot(image.entrypoint + image.cmd, env)
    print("+ start", command[-1], env, flush=True)
    return subprocess.Popen(command, **options)


def stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    return proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", type=Path, required=True)
    parser.add_argument("--base", type=Path, default=Path("/tmp/cloudserver-bookworm-minbase"),
                        help="debootstrapped Debian 12 (made when missing, then reused)")
    parser.add_argument("--user", help="the CLOUDSERVER_USER build argument")
    options = parser.parse_args()

    debootstrap(options.base)
    options.rootfs = options.base.with_name(options.base.name + "-image")
    shutil.rmtree(options.rootfs, ignore_errors=True)
    sh("cp", "-a", str(options.base), str(options.rootfs))
    shutil.copy2("/etc/resolv.conf", options.rootfs / "etc" / "resolv.conf")
    image = Image(options.rootfs, options.binary, {"CLOUDSERVER_USER": options.user} if options.user else {})
    image.build()

    ldd = subprocess.run(["chroot", str(options.rootfs), "ldd", "/usr/local/bin/cloudserver"],
                         capture_output=True, text=True, check=True).stdout
    print(ldd)
    assert "not found" not in ldd, "a shared library is missing from the runtime stage"

    # A config.json as `docker run -v $(pwd)/config.json:/usr/src/app/config.json` would give:
    # the image's, on a free port (this machine's 8000 may be taken).
    config_path = image.path(image.workdir) / "config.json"
    config = json.loads(config_path.read_text())
    port, metrics = free_port(), free_port()
    config.update(port=port, metricsPort=metrics)
    config_path.write_text(json.dumps(config, indent=4))

    for mount in ("proc", "dev"):
        sh("mount", "--bind", f"/{mount}", str(options.rootfs / mount))
    try:
        proc = start(image, {})
        wait_listening(port, proc)
        s3 = s3_client(f"http://127.0.0.1:{port}")
        s3.create_bucket(Bucket="image-check")
        s3.put_object(Bucket="image-check", Key="k", Body=b"from the simulated image")
        assert s3.get_object(Bucket="image-check", Key="k")["Body"].read() == b"from the simulated image"
        command, opts = image.chroot(image.healthcheck, {})
        assert subprocess.run(command, **opts).returncode == 0, "HEALTHCHECK failed"
        assert stop(proc) == 0, "the server did not exit 0 on SIGTERM"
        command, opts = image.chroot(image.healthcheck, {})
        assert subprocess.run(command, **opts).returncode == 1, "HEALTHCHECK passed with no server"

        proc = start(image, {"SSL": "true", "ENDPOINT": "s3.scalify.test,127.0.0.1"})
        wait_listening(port, proc)
        command, opts = image.chroot(image.healthcheck, {})
        health = subprocess.run(command, **opts).returncode
        assert stop(proc) == 0
        paths = json.loads(config_path.read_text())["certFilePaths"]
        sh("chroot", str(options.rootfs), "openssl", "verify", "-CAfile", paths["ca"], paths["cert"])
        print(f"SSL=true: certificates made in the image; HEALTHCHECK over https exit {health} "
              "(0 once the server speaks TLS)")
        owner = {p.stat().st_uid for p in image.path(image.workdir).rglob("*") if p.is_file()}
        print(f"user {image.user}; files under {image.workdir} owned by uids {sorted(owner)}")
    finally:
        for mount in ("dev", "proc"):
            subprocess.run(["umount", str(options.rootfs / mount)])
    print("the simulated image works")


if __name__ == "__main__":
    main()
