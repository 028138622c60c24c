"""The environment every exec command starts with on the target: no pager or editor that runs
what the agent types next.

The guard judges the command line; what the agent sends afterwards is input to the command.
An allowed ``git log`` or ``systemctl status`` in a terminal opens a pager, where ``!cmd`` runs
a shell; an allowed ``git commit`` opens an editor that reads its commands from stdin even
without a terminal. So every exec command starts with pagers off, less in its secure mode and
editors that refuse (``git commit`` then asks for ``-m``), and no allowed line may change these
names (guard/safe.py counts them as variables that change what later commands do).
"""

from __future__ import annotations

#: fixed values, nothing of the agent's; POSIX sh words that need no quoting
PINNED_ENV: tuple[tuple[str, str], ...] = (
    ("PAGER", "cat"), ("GIT_PAGER", "cat"), ("MANPAGER", "cat"), ("SYSTEMD_PAGER", "cat"),
    ("SYSTEMD_PAGERSECURE", "1"), ("PSQL_PAGER", "cat"), ("LESSSECURE", "1"),
    ("EDITOR", "false"), ("VISUAL", "false"), ("GIT_EDITOR", "false"),
    ("GIT_SEQUENCE_EDITOR", "false"), ("SYSTEMD_EDITOR", "false"), ("KUBE_EDITOR", "false"),
    # dpkg's conffile prompt offers 'Z' (a shell) and debconf/ucf ask in the terminal: an
    # allowed apt-get install or upgrade must never wait for keys the agent types
    ("DEBIAN_FRONTEND", "noninteractive"), ("DPKG_FORCE", "confdef,confold"),
    ("UCF_FORCE_CONFFOLD", "1"), ("APT_LISTCHANGES_FRONTEND", "none"),
)


def assignments() -> str:
    """The table as shell words (``PAGER=cat GIT_PAGER=cat ...``), for ``export``."""
    return " ".join(f"{name}={value}" for name, value in PINNED_ENV)
