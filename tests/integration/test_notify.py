"""Webhook notifications from a running gateway to a real HTTP receiver on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .conftest import audit, cli, marker
from .test_approvals import hold, wait_pending


class Receiver:
    """An HTTP server that keeps what it is sent; ``/hang`` never answers, ``/fail`` is 500."""

    def __init__(self):
        self.got: list[tuple[str, dict[str, str], bytes]] = []
        self.release = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.got.append((self.path, dict(self.headers), body))
                if self.path == "/hang":
                    outer.release.wait(60)
                code = 500 if self.path == "/fail" else 204
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait(self, path: str, n: int, timeout: float = 15) -> list[tuple[dict, bytes]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            hits = [(h, b) for p, h, b in self.got if p == path]
            if len(hits) >= n:
                return hits
            time.sleep(0.05)
        raise AssertionError(f"{path}: fewer than {n} notifications: {self.got}")

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.stop()


def test_held_command_sends_signed_json_and_slack(make_lab, receiver, tmp_path):
    lab = make_lab(extra={"notify": [
        {"url": receiver.url("/json"), "secret": "hook-secret", "gateway": "gw.example:2222"},
        {"url": receiver.url("/slack"), "format": "slack", "events": ["held"]},
    ]})
    precious = marker(tmp_path)
    p = hold(lab, f"rm -rf {precious}")
    [req] = wait_pending(lab)
    [(headers, body)] = receiver.wait("/json", 1)
    want = hmac.new(b"hook-secret", headers["X-Sshgate-Timestamp"].encode() + b"." + body,
                    hashlib.sha256).hexdigest()
    assert headers["X-Sshgate-Signature"] == f"sha256={want}"
    msg = json.loads(body)
    assert msg["event"] == "held"
    rec = msg["record"]
    assert (rec["request"], rec["command"], rec["identity"], rec["target"]) == \
        (req["id"], f"rm -rf {precious}", "lab-agent", "lab")
    assert msg["approve"] == f"ssh -p 2222 REVIEWER@gw.example approve {req['id']}"
    [(_, slack)] = receiver.wait("/slack", 1)
    text = json.loads(slack)["text"]
    assert "held for approval" in text and str(precious) in text
    assert cli(lab, "deny", req["id"], "--reason", "no").returncode == 0
    p.communicate(timeout=20)
    decided = json.loads(receiver.wait("/json", 2)[1][1])
    assert decided["event"] == "decided" and decided["record"]["decision"] == "denied"
    time.sleep(0.5)
    assert len([1 for path, _, _ in receiver.got if path == "/slack"]) == 1  # held only


def test_receiver_down_slow_or_failing_does_not_hold_the_command(make_lab, receiver, tmp_path):
    from sshgate.lab import free_port

    lab = make_lab(extra={"notify": [
        {"url": receiver.url("/hang"), "timeout": "30s", "retries": 0},
        {"url": receiver.url("/fail"), "retries": 1},
        {"url": f"http://127.0.0.1:{free_port()}/down", "retries": 1},
    ]})
    precious = marker(tmp_path)
    p = hold(lab, f"rm -rf {precious} && echo removed")
    [req] = wait_pending(lab)
    receiver.wait("/hang", 1)  # the slow receiver now holds its delivery
    t = time.monotonic()
    assert cli(lab, "approve", req["id"]).returncode == 0
    out, err = p.communicate(timeout=20)
    elapsed = time.monotonic() - t
    assert out == b"removed\n" and not precious.exists()
    # the hanging receiver would hold it for 30 s if delivery were on the command's path
    assert elapsed < 10, elapsed
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        failed = {e["url"].rsplit("/", 1)[1] for e in audit(lab) if e["event"] == "notify.failed"}
        if {"fail", "down"} <= failed:
            break
        time.sleep(0.2)
    assert {"fail", "down"} <= failed
    r = subprocess.run(lab.ssh_argv("echo still-fine"), capture_output=True, timeout=20,
                       stdin=subprocess.DEVNULL)
    assert r.stdout == b"still-fine\n"
