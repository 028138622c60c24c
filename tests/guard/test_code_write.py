"""``code.write`` (guard/classify.py, flow.py ``_edited``): code a line edits in a working tree
with its content on the line is held; once a reviewer approves the line, the session memory
leaves it out (hooks.remember), so the reviewed change does not hold every later build, test
or restart. Content that is not on the line (a copy, a download, a program's output, a
computed word) is never "reviewed": the memory keeps it and a later run is held."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sshgate.guard import classify
from sshgate.guard.memory import HOME, Earlier, Written, placed_writes
from sshgate.policy.model import Action

from .expect import TABLE_BUDGET

#: code edits whose content is on the line: held as code.write
EDITS = [
    "sed -i 's/DEBUG = True/DEBUG = False/' app/settings.py",
    "sed -i.bak 's/localhost:5432/db:5432/g' config/database.yml",
    "sed -i '/^import unused_module$/d' src/main.py",
    "echo 'pytest-mock==3.14.0' >> requirements-dev.txt",
    "printf 'export * from \"./client\";\\n' >> src/index.ts",
    "yq -i '.image.tag = \"v1\"' charts/api/values.yaml",
    "echo 'export const VERSION = \"1.2.0\";' > src/version.ts",
    "printf 'def slugify(s):\\n    return s.lower()\\n' > src/utils/slugify.py",
    "cat > tools/report.py <<'EOF'\nimport shutil\nEOF",
    "cat > t.py <<EOF\nprint(1)\nEOF",
    "tee -a app.conf <<< 'workers = 4'",
    "cd ~/p && sed -i 's/a/b/' src/x.cpp",
    "cd /srv/app && printf 'x' > Makefile",
]

#: writes that are not code edits in view: no code.write (allowed or held by other rules)
NOT_EDITS = [
    "echo hi > notes.md", "printf 'a,b\\n' > data/out.csv", "pg_dump app > app.sql",
    "pip freeze > requirements.txt", "conda env export > env.yml", "jq . a.json > b.json",
    "echo \"$X\" > a.py", "cat > t.py <<EOF\nprint($X)\nEOF", "cp /tmp/x.py src/x.py",
    "curl -s https://example.com/y.py > tools/y.py", "echo x > /tmp/a.py", "echo x > .env",
    "echo x > ~/.bashrc", "sed -i \"s/a/$V/\" x.py", "sed -i -f edit.sed x.py",
    "kubectl get deploy web -o yaml > web.yaml", "python gen.py > src/gen.py",
]


def _rules(line: str) -> list[str]:
    return [f.rule for f in classify(line, seconds=TABLE_BUDGET).findings]


@pytest.mark.parametrize("line", EDITS)
def test_a_code_edit_in_view_is_held_as_code_write(line: str) -> None:
    c = classify(line, seconds=TABLE_BUDGET)
    assert "code.write" in _rules(line) and c.default_action is Action.APPROVE, c.findings
    assert c.reviewed and set(c.reviewed) <= set(c.writes)


@pytest.mark.parametrize("line", NOT_EDITS)
def test_content_not_on_the_line_is_never_reviewed(line: str) -> None:
    c = classify(line, seconds=TABLE_BUDGET)
    assert "code.write" not in _rules(line) and not c.reviewed, c.findings


def session(lines: list[tuple[str, bool]]) -> list[Action]:
    """Each (line, approved?) as the gateway runs them: a line held and approved is
    remembered but for the code it edited in view; any other line runs as if allowed (by
    the catalogue or by a site's policy) and all it writes is remembered."""
    written: list[Written] = []
    out = []
    for line, approved in lines:
        c = classify(line, earlier=Earlier(tuple(written), (HOME,), ()), seconds=TABLE_BUDGET)
        out.append(c.default_action)
        keep = tuple(w for w in c.writes if w not in c.reviewed) if approved else c.writes
        written += [Written(p, line) for p in placed_writes(keep, (HOME,))]
    return out


def test_a_reviewed_edit_is_run_by_later_lines_unasked() -> None:
    acts = session([("cd ~/p && sed -i 's/uint8_t/uint16_t/' src/parse.cpp", True),
                    ("cd ~/p && make test", False), ("cd ~/p && make", False),
                    ("cd ~/p && git commit -am 'parse: 16-bit length'", False),
                    ("sudo systemctl restart gatewayd", False)])
    assert acts == [Action.APPROVE, Action.ALLOW, Action.ALLOW, Action.ALLOW, Action.ALLOW]


@pytest.mark.parametrize("first", [
    "cp /tmp/x.py ~/p/tests/test_x.py",                      # a copy from scratch
    "curl -sSo ~/p/tests/conftest.py https://example.com/c.py",  # a download
    "cd ~/p && tar -xzf /tmp/e.tgz -C tests",                 # an unpacked archive
    "cd ~/p && python gen.py --out tests/conftest.py",        # a program's output by name
    "cd ~/p && echo \"$PAYLOAD\" > tests/conftest.py",        # content computed at run time
])
def test_an_approved_line_whose_content_was_not_shown_still_holds_the_run(first: str) -> None:
    acts = session([(first, True), ("cd ~/p && pytest", False)])
    assert acts[-1] is not Action.ALLOW


def test_an_edit_allowed_by_policy_is_not_reviewed() -> None:
    """A site that sets code.write to allow gets the memory as before: the edit is allowed
    (not approved by anyone), so what runs it later is held."""
    acts = session([("cd ~/p && printf 'x' > Makefile", False), ("cd ~/p && make", False)])
    assert acts[-1] is Action.APPROVE


def test_a_line_that_edits_and_runs_is_one_approval() -> None:
    assert {"code.write", "exec.download-then-run"} <= set(
        _rules("cd ~/p && sed -i 's/a/b/' src/x.py && python src/x.py"))


_WORD = st.text("abcxyz./_-$`*{}~ ", min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(tool=st.sampled_from(["echo", "printf", "cat", "tee", "sed -i 's/a/b/'", "cp a",
                             "jq .", "python gen.py", "sort -o"]),
       target=_WORD, ext=st.sampled_from([".py", ".sh", ".md", ".yaml", "", ".csv"]))
def test_reviewed_paths_are_written_code_outside_home_dot_files_and_scratch(tool, target, ext):
    line = f"{tool} x > {target}{ext}" if tool in ("echo", "printf") else \
        f"{tool} {target}{ext}"
    c = classify(line, seconds=TABLE_BUDGET)
    for p in c.reviewed:
        assert p in c.writes
        assert not p.startswith(("/tmp/", "/var/tmp/", "/dev/"))
        # never a dot-file of the home (a project's own, below it, may be reviewed)
        assert not p.startswith(("~/.", ".")) or p.startswith(("./", "../"))
    assert bool(c.reviewed) == ("code.write" in [f.rule for f in c.findings])


@pytest.mark.parametrize(("written", "held"), [
    ("~/ci/.pre-commit-config.yaml", True), ("~/ci/.husky/pre-commit", True),
    ("~/ci/.gitattributes", True), ("~/ci/.git/config", True), ("~/ci/.git/hooks/x", True),
    ("~/ci/.lintstagedrc.json", True), ("~/ci/.gitmodules", True), ("~/ci/src/app.js", True),
    ("~/ci/notes.md", False),
])
def test_git_is_held_after_an_unreviewed_write_of_what_its_hooks_may_run(written, held):
    c = classify("cd ~/ci && git commit -am 'ci: cache' && git push", seconds=TABLE_BUDGET,
                 earlier=Earlier((Written(written, "w"),), (HOME,), ()))
    assert (c.default_action is not Action.ALLOW) is held, c.findings


def test_a_reviewed_edit_of_a_projects_dot_file_is_committed_unasked() -> None:
    """A project's own dot-files (.github/workflows, .eslintrc.js) are its code: an edit in
    view is code.write; the home's dot-files (persistence) are never reviewed that way."""
    acts = session([("cd ~/ci && sed -i 's/mode=max/mode=min/' .github/workflows/build.yml",
                     True), ("cd ~/ci && git commit -am 'ci: cache' && git push", False)])
    assert acts == [Action.APPROVE, Action.ALLOW]
    acts = session([("echo 'alias ls=x' >> ~/.bashrc", True), ("bash -lc 'ls'", False)])
    assert not classify("echo x >> ~/.bashrc", seconds=TABLE_BUDGET).reviewed
