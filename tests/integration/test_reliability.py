"""Faults: the target dies, the gateway is killed and restarted, the policy is reloaded,
agents vanish mid-approval."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import yaml

from sshgate.audit import verify_chain
from sshgate.lab import GatewayProcess, process_rss_kb
from sshgate.recording import reader

from .conftest import audit, cli, marker
from .test_approvals import hold, wait_pending


def wait_until(pred, timeout: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def sshd_children(lab) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(lab.target.proc.pid)],
                         capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def test_target_dies_mid_session(lab):
    p = subprocess.Popen(lab.ssh_argv("echo started; sleep 30"), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert p.stdout.readline() == b"started\n"
    for pid in sshd_children(lab):  # the per-connection sshd processes: the target "dies"
        os.kill(pid, signal.SIGKILL)
    out, err = p.communicate(timeout=30)
    r = subprocess.CompletedProcess(p.args, p.returncode, b"started\n" + out, err)
    assert r.returncode != 0 and r.stdout == b"started\n"
    assert b"connection to the target was lost" in r.stderr
    wait_until(lambda: any(e["event"] == "recording.sealed" for e in audit(lab)), what="seal")
    sealed = next(e for e in audit(lab) if e["event"] == "recording.sealed")
    assert "connection to the target was lost" in sealed["reason"]
    [path] = reader.list_recordings(lab.recordings)
    assert reader.parse(path).output().startswith(b"started\n")
    assert lab.ssh("echo still serving").stdout == b"still serving\n"


def test_gateway_killed_and_restarted(lab, tmp_path):
    precious = marker(tmp_path)
    running = subprocess.Popen(lab.ssh_argv("echo up; sleep 30"), stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    assert running.stdout.readline() == b"up\n"
    p = hold(lab, f"rm -rf {precious}")
    wait_pending(lab)
    # an unsealed recording in the directory that this gateway did not start (another
    # gateway sharing the directory, live): never sealed by this one
    foreign = reader.path_of(lab.recordings, "ab" * 8)
    foreign.write_bytes(b'{"version": 2, "width": 80, "height": 24}\n')
    lab.gateway.proc.send_signal(signal.SIGKILL)
    lab.gateway.proc.wait(10)
    p.wait(20)
    running.wait(20)
    assert p.returncode != 0 and running.returncode != 0
    cut = {e["session"] for e in audit(lab) if e["event"] == "session.start"}
    assert len(cut) == 2
    left = {rid: reader.path_of(lab.recordings, rid).read_bytes() for rid in cut}
    unsealed = json.loads(cli(lab, "recordings", "verify", "--all", "--json").stdout)
    assert {r["id"]: r["status"] for r in unsealed["recordings"]
            if r["id"] in cut} == dict.fromkeys(cut, "unsealed")
    port = lab.gateway.port
    lab.gateway = GatewayProcess(lab.config, port=port, forkserver=lab.forkserver).start()
    assert json.loads(cli(lab, "approvals", "list", "--json").stdout) == []
    time.sleep(0.5)
    assert precious.exists()  # the pending command never ran
    assert verify_chain(lab.audit_path) == []
    assert lab.ssh("echo back").stdout == b"back\n"
    # no database: the restarted gateway sealed the recordings its killed run left (its
    # audit log names them) as recovered, byte for byte; the foreign one stays unsealed
    v = cli(lab, "recordings", "verify", "--all", "--json")
    status = {r["id"]: r["status"] for r in json.loads(v.stdout)["recordings"]}
    assert {rid: status[rid] for rid in cut} == dict.fromkeys(cut, "recovered"), v.stdout
    assert status["ab" * 8] == "unsealed"
    for rid in cut:
        assert reader.path_of(lab.recordings, rid).read_bytes() == left[rid]
    sealed = [e for e in audit(lab) if e["event"] == "recording.sealed"]
    assert {e["recording"] for e in sealed if e.get("recovered") is True} == cut
    assert "ab" * 8 not in {e["recording"] for e in sealed}


def test_sighup_reload_applies_new_policy_and_refuses_broken_one(lab):
    pol_path = lab.directory / "gw/policies/example.yaml"
    good = yaml.safe_load(pol_path.read_text())
    good["rules"] = [{"rule": "power.shutdown", "action": "approve"},
                     {"rule": "site.no-uptime", "action": "deny", "why": "testing reload",
                      "commands": ["uptime"]}]
    pol_path.write_text(yaml.safe_dump(good))
    lab.gateway.proc.send_signal(signal.SIGHUP)
    wait_until(lambda: any(e["event"] == "policy.reloaded" for e in audit(lab)), what="reload")
    r = lab.ssh("uptime")
    assert r.returncode == 77 and b"site.no-uptime: testing reload" in r.stderr
    pol_path.write_text("identities: [\n")  # broken
    lab.gateway.proc.send_signal(signal.SIGHUP)
    wait_until(lambda: any(e["event"] == "policy.reload-refused" for e in audit(lab)),
               what="refusal")
    refused = next(e for e in audit(lab) if e["event"] == "policy.reload-refused")
    assert "example.yaml:" in refused["errors"][0]
    assert lab.ssh("uptime").returncode == 77  # the last good policy stays in force
    assert lab.ssh("echo ok").stdout == b"ok\n"


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def pending_ids(lab, socket_path: Path | None = None) -> list[str]:
    import asyncio

    from sshgate.approvals.control import call
    from sshgate.config import load_config

    socket_path = socket_path or load_config(lab.config).control_socket
    reply = asyncio.run(call(socket_path, {"op": "list"}))
    return [r["id"] for r in reply.get("requests", [])]


def test_200_agents_vanishing_mid_approval_and_mid_transfer_leak_nothing(lab, tmp_path):
    from sshgate.config import load_config

    # one agent at a time: agents overlapping grow the gateway's bounded thread pools past
    # what the count below allows for (tried in waves of ten: 8 -> 13 threads, 5 of 6)
    pid = lab.gateway.proc.pid
    sock = load_config(lab.config).control_socket  # read once, not parsed at every poll
    lab.ssh("true")
    wait_until(lambda: any(e["event"] == "session.end" for e in audit(lab)), what="warm-up")
    fds_before, threads_before = open_fds(pid), threads(pid)
    for i in range(100):
        p = hold(lab, f"rm -rf {tmp_path}/x{i}")
        wait_until(lambda: len(pending_ids(lab, sock)) == 1, what="the held request")
        p.kill()
        p.wait()
        q = subprocess.Popen(lab.ssh_argv("head -c 50M /dev/zero"), stdout=subprocess.PIPE,
                             stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        q.stdout.read(256 * 1024)
        q.kill()
        q.wait()
        wait_until(lambda: pending_ids(lab, sock) == [], what="the withdrawal")
    ends = lambda: sum(e["event"] == "session.end" for e in audit(lab))  # noqa: E731
    wait_until(lambda: ends() >= 201, timeout=60, what="all sessions ended")
    # asyncio's resolver pool may have grown (up to min(32, cpus + 4) idle workers); a leak
    # here would be one recorder thread per session, i.e. hundreds
    pool = min(32, (os.cpu_count() or 1) + 4)
    wait_until(lambda: threads(pid) <= threads_before + pool, timeout=10,
               what="recorder threads")
    # sockets of the last sessions close a little after their end is logged (a loaded machine:
    # 13 against 12 after a fixed 0.5 s once; past 10 s twice in CI runs of session 11 with
    # the whole suite beside it); a leak would be hundreds, and stays. The bound is the same;
    # the wait is the loaded machine's, and a failure names what is still open. A CI run of
    # session 14 with the machine shared found 8 sockets of the last sessions still closing
    # after 30 s: the bound allows a few of them (a leak of 200 sessions stays far past it)
    try:
        wait_until(lambda: open_fds(pid) <= fds_before + 10, timeout=60,
                   what=f"file descriptors back to {fds_before} + 10")
    except AssertionError as e:
        fd_dir = f"/proc/{pid}/fd"
        still = sorted(os.readlink(f"{fd_dir}/{f}") for f in os.listdir(fd_dir))
        raise AssertionError(f"{e}: still open {still}") from None
    decided = [e for e in audit(lab) if e["event"] == "approval.decided"]
    assert len(decided) == 100 and all(e["decision"] == "withdrawn" for e in decided)


def test_slow_reader_keeps_gateway_memory_bounded(lab):
    pid = lab.gateway.proc.pid
    before = process_rss_kb(pid)
    # the agent never reads: flow control must stop the target, not buffer 500 MB
    p = subprocess.Popen(lab.ssh_argv("head -c 500M /dev/zero"), stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    try:
        time.sleep(4)
        grown = process_rss_kb(pid) - before
        assert grown < 80_000, f"gateway grew by {grown} KB with a stalled reader"
        p.stdout.read(1024 * 1024)  # and the stream still works once the agent reads
    finally:
        p.kill()
        p.wait()
