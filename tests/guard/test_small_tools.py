"""Session 11's small catalogue entries: binaries' symbol tables, tmux listings, cargo's
other test runner and advisory report."""

from __future__ import annotations

from .expect import allowed, each, held


def test_small_tools() -> None:
    each(["tmux ls", "tmux list-windows -t main", "tmux has-session -t train",
          "nm -C build/libfoo.so | grep Foo", "readelf -d /usr/bin/python3", "cargo nextest run",
          "cargo nextest run --workspace", "cargo audit", "tsc -b --verbose"], allowed)
    each(["tmux new -d -s train 'python train.py'", "tmux attach -t x",
          "tmux send-keys -t x 'rm -rf /' Enter", "tmux capture-pane -p -t x", "tmux kill-server",
          "nm ~/.ssh/id_rsa", "readelf -a /etc/shadow", "echo x > build.rs; cargo nextest run",
          "cargo nextest run --exec /tmp/x", "cargo audit fix"], held)
