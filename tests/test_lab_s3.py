"""The lab's SeaweedFS: loopback only, stopped for good, data kept across a restart."""

from __future__ import annotations

import os
from pathlib import Path

from sshgate.lab_s3 import SeaweedS3


def listening_addresses(pid: int) -> set[tuple[str, int]]:
    """(address, port) of every TCP/TCP6 socket ``pid`` listens on, from /proc."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd) if fd.is_symlink() else ""
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    out = set()
    for table, width in (("tcp", 8), ("tcp6", 32)):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            cols = line.split()
            local, state, inode = cols[1], cols[3], cols[9]
            if state != "0A" or inode not in inodes:  # 0A: LISTEN
                continue
            addr, port = local.split(":")
            if width == 8:
                text = ".".join(str(int(addr[i:i + 2], 16)) for i in (6, 4, 2, 0))
            else:
                text = addr
            out.add((text, int(port, 16)))
    return out


def test_every_port_is_loopback_and_random(s3_server: SeaweedS3):
    assert s3_server.proc is not None
    seen = listening_addresses(s3_server.proc.pid)
    assert seen, "weed listens on nothing?"
    assert {addr for addr, _ in seen} == {"127.0.0.1"}
    # every port it listens on is one the lab chose (free, random); none of weed's defaults
    assert {port for _, port in seen} <= set(s3_server.ports.values())
    assert not {8333, 8888, 9333, 8080, 6060, 7333, 8181, 9101, 23646} & {p for _, p in seen}


def test_restart_keeps_objects_and_stop_ends_the_process(tmp_path):
    server = SeaweedS3(tmp_path).start()
    try:
        server.create_bucket("keep")
        server.client().put_object(Bucket="keep", Key="a/b", Body=b"kept")
        server.stop()
        assert server.proc is not None and server.proc.poll() is not None
        server.start()
        assert server.client().get_object(Bucket="keep", Key="a/b")["Body"].read() == b"kept"
    finally:
        server.stop()
    assert server.proc.poll() is not None
    assert not list(Path("/tmp").glob(f"seaweedfs-*-grpc-{server.ports['s3.grpc']}.sock"))


def test_a_port_taken_before_the_first_start_is_chosen_again(tmp_path):
    """free_port() then weed's bind race with a parallel test (CI saw 'bind: address
    already in use' fail 18 tests at once): a first start moves to new ports."""
    import socket

    server = SeaweedS3(tmp_path)
    taken = server.ports["master"]
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    holder.bind(("127.0.0.1", taken))
    holder.listen()
    try:
        server.start()
        assert server.ports["master"] != taken and "address already in use" in server.log()
        server.create_bucket("moved")
    finally:
        server.stop()
        holder.close()
