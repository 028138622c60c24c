"""Table tests for every policy field and error path: each names file:line: field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sshgate.policy.loader import PolicyLoadError, load_policy, parse_duration
from sshgate.policy.model import Action
from sshgate.runtime import known_rule_names

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
KEY2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHHQvXv1mQ9YVxx1yqvXpKfCq4Ua4ENmyg7l1o1rxQSK"

GOOD = f"""\
identities:
  - name: bot
    keys: ["{KEY} bot@x"]
targets:
  - name: web-1
    host: 10.0.0.5
    port: 22
    host_key: "{KEY2}"
grants:
  - identity: bot
    targets: [web-1]
    logins: [deploy, admin]
    max_session: 30m
    shell: false
approvers: [alice, {{user: bob, identity: bot}}]
approval:
  timeout: 2m
  no_reviewer: deny
rules:
  - rule: fs.rm-recursive
    action: allow
    identities: [bot]
    paths: ["/tmp/**"]
  - rule: site.helm-upgrade
    action: approve
    why: upgrades need a human
    commands: [helm]
    args: [upgrade]
"""


def write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return p


def errors_of(tmp_path: Path, text: str) -> list[str]:
    p = write(tmp_path, text)
    with pytest.raises(PolicyLoadError) as e:
        load_policy([p], known_rules=known_rule_names())
    return [str(x).replace(str(p), "F") for x in e.value.errors]


def test_good_policy_loads(tmp_path):
    pol = load_policy([write(tmp_path, GOOD)], known_rules=known_rule_names())
    assert pol.identities[0].name == "bot"
    assert pol.identities[0].keys == (KEY,)
    assert pol.targets[0].port == 22 and pol.targets[0].host_keys == (KEY2,)
    g = pol.grants[0]
    assert g.logins == ("deploy", "admin") and g.max_session == 1800 and g.shell is False
    assert [a.user for a in pol.approvers] == ["alice", "bob"]
    assert pol.approvers[1].identity == "bot"
    assert pol.approval.timeout == 120 and pol.approval.no_reviewer == "deny"
    assert pol.rules[0].action is Action.ALLOW and pol.rules[0].paths == ("/tmp/**",)
    assert pol.rules[1].adds_rule and pol.rules[1].commands == ("helm",)


def test_directory_merges_files(tmp_path):
    d = tmp_path / "pol"
    d.mkdir()
    head, tail = GOOD.split("grants:")
    (d / "a.yaml").write_text(head)
    (d / "b.yaml").write_text("grants:" + tail)
    pol = load_policy([d], known_rules=known_rule_names())
    assert len(pol.sources) == 2 and pol.grants[0].identity == "bot"


BAD_CASES = [
    # (description, yaml text, expected "line: field: message" fragment)
    ("yaml syntax", "identities: [\n  - name: x\n",
     "F:2: (yaml): YAML syntax error: a value is missing"),
    ("top not mapping", "- a\n- b\n", "F:1: (top): expected a mapping"),
    ("unknown section", "idents: []\n", "F:1: idents: unknown section"),
    ("unknown field", f"identities:\n  - name: a\n    keys: ['{KEY}']\n    colour: red\n",
     "F:4: identities[0].colour: unknown field"),
    ("missing field", "identities:\n  - name: a\n", "F:2: identities[0].keys: is required"),
    ("wrong type name", f"identities:\n  - name: [a]\n    keys: ['{KEY}']\n",
     "F:2: identities[0].name: expected a string, got a list"),
    ("bad name", f"identities:\n  - name: 'a b'\n    keys: ['{KEY}']\n",
     "F:2: identities[0].name: 'a b' is not a valid name"),
    ("malformed key", "identities:\n  - name: a\n    keys: ['ssh-ed25519 nope!']\n",
     "F:3: identities[0].keys[0]: malformed key: key data is not valid base64"),
    ("key type mismatch", f"identities:\n  - name: a\n    keys: ['ssh-rsa {KEY.split()[1]}']\n",
     "does not match its type"),
    ("unsupported key type", "identities:\n  - name: a\n    keys: ['ssh-dss AAAA']\n",
     "unsupported key type 'ssh-dss'"),
    ("empty keys", "identities:\n  - name: a\n    keys: []\n", "identities[0].keys: must not be"),
    ("duplicate identity",
     f"identities:\n  - name: a\n    keys: ['{KEY}']\n  - name: a\n    keys: ['{KEY2}']\n",
     "F:4: identities[1].name: duplicate name 'a'"),
    ("key on two identities",
     f"identities:\n  - name: a\n    keys: ['{KEY}']\n  - name: b\n    keys: ['{KEY}']\n",
     "F:5: identities[1].keys: key is already listed for identity 'a'"),
    ("port type", f"targets:\n  - name: t\n    host: h\n    port: abc\n    host_key: '{KEY}'\n",
     "F:4: targets[0].port: expected a number, got a str"),
    ("port range", f"targets:\n  - name: t\n    host: h\n    port: 70000\n    host_key: '{KEY}'\n",
     "F:4: targets[0].port: must be between 1 and 65535"),
    ("target without host key", "targets:\n  - name: t\n    host: h\n",
     "F:2: targets[0].host_key: is required"),
    ("unknown target in grant",
     f"identities:\n  - name: a\n    keys: ['{KEY}']\ngrants:\n  - identity: a\n"
     "    targets: [nope]\n    logins: [x]\n",
     "F:6: grants[0].targets[0]: unknown target 'nope'"),
    ("unknown identity in grant", "grants:\n  - identity: zz\n    targets: [t]\n    logins: [x]\n",
     "F:2: grants[0].identity: unknown identity 'zz'"),
    ("bad duration", f"identities:\n  - name: a\n    keys: ['{KEY}']\ngrants:\n  - identity: a\n"
     "    targets: []\n    logins: [x]\n    max_session: soon\n",
     "F:8: grants[0].max_session: 'soon' is not a duration"),
    ("shell not bool", "grants:\n  - identity: a\n    targets: [t]\n    logins: [x]\n"
     "    shell: 'yes please'\n", "F:5: grants[0].shell: expected true or false"),
    ("bad login", "grants:\n  - identity: a\n    targets: [t]\n    logins: ['bad login']\n",
     "F:4: grants[0].logins[0]: 'bad login' is not a valid name"),
    ("bad action", "rules:\n  - rule: fs.rm-recursive\n    action: maybe\n",
     "F:3: rules[0].action: 'maybe' is not one of allow, approve, deny"),
    ("unknown rule", "rules:\n  - rule: fs.nope\n    action: deny\n",
     "F:2: rules[0].rule: unknown rule 'fs.nope'"),
    ("bad regex", "rules:\n  - rule: x.y\n    action: deny\n    regex: '('\n",
     "F:4: rules[0].regex: invalid regular expression"),
    ("override with commands", "rules:\n  - rule: fs.rm-recursive\n    action: deny\n"
     "    commands: [rm]\n", "is a built-in rule"),
    ("approval no_reviewer", "approval:\n  no_reviewer: maybe\n",
     "F:2: approval.no_reviewer: 'maybe' is not one of wait, deny"),
    ("approval timeout", "approval:\n  timeout: -5\n", "F:2: approval.timeout: must be positive"),
    ("approver identity unknown", "approvers:\n  - {user: alice, identity: ghost}\n",
     "F:2: approvers[0].identity: unknown identity 'ghost'"),
    ("approvers not list", "approvers: alice\n", "F:1: approvers: expected a list"),
    ("duplicate key", f"identities:\n  - name: a\n    name: b\n    keys: ['{KEY}']\n",
     "F:3: identities[0].name: given twice"),
    ("rules scope unknown identity", "rules:\n  - rule: fs.rm-recursive\n    action: allow\n"
     "    identities: [ghost]\n", "F:4: rules[0].identities: unknown identity 'ghost'"),
]


@pytest.mark.parametrize("desc,text,expected", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_policy_names_file_line_field(tmp_path, desc, text, expected):
    errs = errors_of(tmp_path, text)
    assert any(expected in e for e in errs), errs


def test_every_error_listed(tmp_path):
    errs = errors_of(tmp_path, "identities:\n  - name: 'a b'\n    keys: ['x']\n"
                               "targets:\n  - name: t\n    port: 0\n")
    assert len(errs) >= 4, errs


def test_missing_file(tmp_path):
    with pytest.raises(PolicyLoadError) as e:
        load_policy([tmp_path / "nope.yaml"])
    assert "no such file" in str(e.value)


def test_empty_dir(tmp_path):
    with pytest.raises(PolicyLoadError) as e:
        load_policy([tmp_path])
    assert "no policy files found" in str(e.value)


@pytest.mark.parametrize("text,seconds", [("30m", 1800), ("1h30m", 5400), ("90s", 90),
                                          ("2d", 172800), (45, 45), ("1h", 3600)])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "0s", "-1", "1x", 0, -3, True])
def test_bad_durations(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_every_error_in_one_pass_a_bad_action_does_not_hide_a_bad_rule_name(tmp_path):
    errs = errors_of(tmp_path, f"""\
        identities:
          - name: bot
            keys: ["{KEY}"]
        rules:
          - rule: fs.rm-recursiv
            action: alow
          - rule: fs.rm-force
            action: allow
            identities: [nobody]
            paths: 3
        """)
    assert "F:6: rules[0].action: 'alow' is not one of allow, approve, deny" in errs
    assert any(e.startswith("F:5: rules[0].rule: unknown rule 'fs.rm-recursiv'") for e in errs)
    assert "F:10: rules[1].paths: expected a list of strings, got a number" in errs
    assert "F:9: rules[1].identities: unknown identity 'nobody'" in errs
    assert [int(e.split(":")[1]) for e in errs] == sorted(int(e.split(":")[1]) for e in errs)


def test_an_item_with_an_error_causes_no_cascade_of_unknown_names(tmp_path):
    errs = errors_of(tmp_path, """\
        identities:
          - name: bot
            keys: ["ssh-ed25519 nope"]
        targets:
          - name: web-1
            host: 10.0.0.5
            host_key: ""
        grants:
          - identity: bot
            targets: [web-1]
            logins: [deploy]
        """)
    assert len(errs) == 2, errs
    assert errs[0].startswith("F:3: identities[0].keys[0]: malformed key")
    assert errs[1].startswith("F:7: targets[0].host_key[0]: is empty: not pinned yet")


@pytest.mark.parametrize(("text", "line", "words"), [
    ('identities:\n  - name: "bot\n    keys: []\ntargets: []\n', 2, "quoted string"),
    ("identities:\n  - name: 'bot\n    keys: []\n", 2, "quoted string"),
    ("targets: [web-1, web-2\ngrants: []\n", 1, "[ list"),
    ("identities:\n  - name: a: b\n", 2, "unexpected ':'"),
    ("approvers:\n\t- alice\n", 2, "a tab?"),
    ("approvers:\n  - alice\nrules\n  - x\n", 3, "not 'key: value'"),
    ("identities:\n  - name: bot\n - name: x\n", 3, "indentation"),
])
def test_yaml_syntax_errors_in_our_words_at_the_right_line(tmp_path, text, line, words):
    p = tmp_path / "p.yaml"
    p.write_text(text)
    with pytest.raises(PolicyLoadError) as e:
        load_policy([p], known_rules=known_rule_names())
    (err,) = e.value.errors
    assert err.line == line and err.field == "(yaml)", str(err)
    assert err.message.startswith("YAML syntax error: ") and words in err.message, str(err)
    assert "while scanning" not in err.message and "<block" not in err.message


# --- grants: unknown and allow (least privilege by default) --------------------------------------
def grant_with(extra: str) -> str:
    return GOOD.replace("    shell: false\n", "    shell: false\n" + textwrap.indent(
        textwrap.dedent(extra), "    "))


def test_grant_unknown_and_allow_entries(tmp_path):
    p = write(tmp_path, grant_with("""\
        unknown: deny
        allow:
          - ./scripts/status.sh
          - {command: make, args: [deploy]}
          - {command: /opt/app/bin/ctl, args: ["restart", "web-*", "**"]}
        """))
    g = load_policy([p], known_rules=known_rule_names()).grants[0]
    assert g.unknown is Action.DENY
    assert [(a.command, a.args) for a in g.allow] == [
        ("./scripts/status.sh", ()), ("make", ("deploy",)),
        ("/opt/app/bin/ctl", ("restart", "web-*", "**"))]
    assert g.allow[1].source == f"{p}:{GOOD.splitlines().index('    shell: false') + 5}"


def test_grant_defaults_hold_unknown_commands(tmp_path):
    g = load_policy([write(tmp_path, GOOD)], known_rules=known_rule_names()).grants[0]
    assert g.unknown is Action.APPROVE and g.allow == ()


@pytest.mark.parametrize("extra,expected", [
    ("unknown: maybe\n", "F:15: grants[0].unknown: 'maybe' is not one of allow, approve, deny"),
    ("allow: make\n", "F:15: grants[0].allow: expected a list of commands, got a str"),
    ("allow: ['make deploy']\n", "F:15: grants[0].allow[0]: 'make deploy' is not a command"),
    ("allow: ['rm -rf $(x)']\n", "F:15: grants[0].allow[0]: 'rm -rf $(x)' is not a command"),
    ("allow:\n  - {command: 'a;b'}\n", "F:16: grants[0].allow[0].command: 'a;b' is not a"),
    ("allow:\n  - {args: [x]}\n", "F:16: grants[0].allow[0].command: is required"),
    ("allow:\n  - {command: make, args: ['**', deploy]}\n",
     "F:16: grants[0].allow[0].args[0]: '**' (any further words) must come last"),
    ("allow:\n  - {command: make, regex: '.*'}\n", "F:16: grants[0].allow[0].regex: unknown"),
    ("allow:\n  - {command: make, args: deploy}\n", None),
])
def test_grant_allow_errors_name_file_line_field(tmp_path, extra, expected):
    if expected is None:  # a single string for args is a one-word list
        load_policy([write(tmp_path, grant_with(extra))], known_rules=known_rule_names())
        return
    errs = errors_of(tmp_path, grant_with(extra))
    assert any(e.startswith(expected) for e in errs), errs


def test_digest_names_the_files_loaded_not_where_they_are(tmp_path):
    text = GOOD
    one, two = tmp_path / "a", tmp_path / "b"
    for d in (one, two):
        d.mkdir()
        (d / "p.yaml").write_text(text)
    first, second = load_policy([one]), load_policy([two])
    assert len(first.digest) == 64 and first.digest == second.digest
    (two / "p.yaml").write_text(text.replace("max_session: 30m", "max_session: 31m"))
    assert load_policy([two]).digest != first.digest
    (two / "p.yaml").write_text(text)
    (two / "p.yaml").rename(two / "q.yaml")  # same bytes, another file name
    assert load_policy([two]).digest != first.digest
