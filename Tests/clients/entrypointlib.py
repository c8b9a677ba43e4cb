"""Helpers of the entrypoint tests: the application directory as the Dockerfile lays it out,
and the processes docker-entrypoint.sh starts in it."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from clientlib import ACCOUNT1, BINARY, REPO, free_port, s3_client

ENTRYPOINT = "docker-entrypoint.sh"
HEALTHCHECK = "docker-healthcheck.sh"


def image_layout() -> list[tuple[str, str]]:
    """(source in the repository, path under /usr/src/app) for each file the runtime stage of
    the Dockerfile copies from the build context."""
    stages = (REPO / "Dockerfile").read_text().split("\nFROM ")
    workdir = "/"
    layout = []
    lines = stages[-1].replace("\\\n", " ").splitlines()
    for line in lines:
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if words[0] == "WORKDIR":
            workdir = words[1]
        if words[0] == "COPY" and not any(w.startswith("--from") for w in words):
            *sources, dest = [w for w in words[1:] if not w.startswith("--")]
            for source in sources:
                target = Path(workdir) / dest
                if dest.endswith("/") or len(sources) > 1:
                    target = target / Path(source).name
                layout.append((source, os.path.relpath(target, "/usr/src/app")))
    return layout


def make_app_dir(root: Path) -> Path:
    """A copy of /usr/src/app as the image has it."""
    app = root / "app"
    for source, target in image_layout():
        destination = app / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / source, destination)
    return app


def data_files(directory: Path) -> list[Path]:
    """Stored object files under a data directory (not the keep file, not temp files)."""
    return [p for p in directory.rglob("*")
            if p.is_file() and p.name != ".gitkeep" and ".tmp" not in p.parts]


class App:
    """The application directory and the processes the entrypoint starts in it."""

    def __init__(self, path: Path):
        self.path = path
        self.secret = path.parent / "s3-credentials"
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.host = "127.0.0.1"
        self.tls = False
        self.log = path.parent / "server.log"

    def environment(self, variables: dict) -> dict:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("AWS_", "S3", "SCALITY_")) and k not in (
                   "ENDPOINT", "LISTEN_ADDR", "LOG_LEVEL", "SSL", "HEALTHCHECKS_ALLOWFROM",
                   "REPLICATION_GROUP_ID")}
        env.update(APP_DIR=str(self.path), CLOUDSERVER_BIN=str(BINARY), S3_CREDENTIALS_FILE=str(self.secret))
        env.update(variables)
        return env

    def run(self, *args: str, user: int | None = None, **variables) -> subprocess.CompletedProcess:
        """Runs the entrypoint to completion (a command, or a server that fails to start)."""
        return subprocess.run(self.command(args, user), env=self.environment(variables), capture_output=True,
                              text=True, timeout=60, cwd="/")

    def command(self, args, user: int | None) -> list[str]:
        command = [str(self.path / ENTRYPOINT), *args]
        if user is not None:
            command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
        return command

    def start(self, user: int | None = None, args: tuple[str, ...] | None = None, port: int | None = None,
              **variables) -> "App":
        """Starts the server through the entrypoint, by default as `cloudserver` with flags for
        free ports; waits until it accepts on `port` (the one the flags name, or the one given)."""
        self.port = port or free_port()
        if args is None:
            args = ("cloudserver", "--port", str(self.port), "--metrics-port", str(free_port()))
        self.host = variables.get("LISTEN_ADDR", "127.0.0.1")
        self.tls = variables.get("SSL", "").lower() == "true"
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.command(args, user),
                                         env=self.environment(variables), stdout=log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd="/")
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited {self.proc.returncode}:\n{self.log_text()}")
            try:
                socket.create_connection((self.host, self.port), timeout=1).close()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"server did not listen:\n{self.log_text()}")
                time.sleep(0.05)

    def stop(self) -> int:
        """SIGTERM to the process the entrypoint became; its exit status."""
        if self.proc is None:
            return 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.proc = None
        return code

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    @property
    def endpoint(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def client(self, creds=ACCOUNT1):
        """boto3 on the server's endpoint; with SSL=true over HTTPS, trusting the generated CA."""
        return s3_client(self.endpoint, creds, **({"verify": str(self.path / "ca.crt")} if self.tls else {}))

    def config(self) -> dict:
        return json.loads((self.path / "config.json").read_text())

    def set_config_port(self) -> int:
        """Puts a free port in config.json (the health check reads it there); returns it."""
        config = self.config()
        config["port"] = free_port()
        (self.path / "config.json").write_text(json.dumps(config, indent=4))
        return config["port"]

    def healthcheck(self, **variables) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.path / HEALTHCHECK)], env=self.environment(variables),
                              capture_output=True, text=True, timeout=30, cwd="/")
