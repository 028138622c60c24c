"""authorize / parse_route / decide: plain functions over plain data."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sshgate.guard.classify import classify
from sshgate.policy.evaluate import (
    Authorization,
    Refusal,
    allowed_env,
    authorize,
    classify_for,
    decide,
    identify,
    parse_route,
    paths_within,
)
from sshgate.policy.model import (
    Action,
    AllowEntry,
    Grant,
    Identity,
    Policy,
    RuleOverride,
    Target,
)

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
BOT = Identity("bot", (KEY,))
OTHER = Identity("other", ())
POLICY = Policy(
    identities=(BOT, OTHER),
    targets=(Target("web-1", "10.0.0.5", 22, (KEY,)), Target("db-1", "10.0.0.6", 22, (KEY,))),
    grants=(Grant("bot", ("web-1",), ("deploy", "admin"), 60.0),),
)


@pytest.mark.parametrize("user,login,target", [
    ("deploy@web-1", "deploy", "web-1"), ("web-1", None, "web-1"), ("a_b@t.x-1", "a_b", "t.x-1"),
])
def test_parse_route_ok(user, login, target):
    r = parse_route(user)
    assert (r.login, r.target) == (login, target)


@pytest.mark.parametrize("user,why", [
    ("", "empty"), ("a@b@c", "more than one '@'"), ("x" * 300, "longer than"),
    ("a\x1b[2J@b", "control characters"), ("a@", "not a valid target"),
    ("@web", "not a valid login"), ("deploy@web 1", "not a valid target"),
    ("de ploy@web", "not a valid login"), ("a@../etc", "not a valid target"),
])
def test_parse_route_refusals(user, why):
    r = parse_route(user)
    assert isinstance(r, Refusal) and why in r.reason


def test_identify_by_key_ignores_comment():
    assert identify(POLICY, KEY + " some comment") == BOT
    assert identify(POLICY, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHHQvXv1mQ9YVxx1yqvXpKfCq4U"
                            "a4ENmyg7l1o1rxQSK") is None
    assert identify(POLICY, "garbage") is None


@pytest.mark.parametrize("user,ok,login_or_reason", [
    ("deploy@web-1", True, "deploy"),
    ("web-1", True, "deploy"),
    ("admin@web-1", True, "admin"),
    ("root@web-1", False, "may not log in to 'web-1' as 'root'"),
    ("deploy@db-1", False, "may not reach target 'db-1'"),
    ("deploy@nowhere", False, "may not reach target 'nowhere'"),
    ("a@b@web-1", False, "more than one"),
])
def test_authorize(user, ok, login_or_reason):
    r = authorize(POLICY, BOT, user)
    if ok:
        assert isinstance(r, Authorization) and r.login == login_or_reason
        assert r.target.name == "web-1" and r.grant.max_session == 60.0
    else:
        assert isinstance(r, Refusal) and login_or_reason in r.reason


def test_identity_without_grant_is_refused():
    r = authorize(POLICY, OTHER, "web-1")
    assert isinstance(r, Refusal) and "has no grant" in r.reason


def test_allowed_env_globs():
    g = Grant("bot", ("web-1",), ("x",), env=("LANG", "LC_*"))
    assert allowed_env(g, {"LANG": "C", "LC_ALL": "C", "LD_PRELOAD": "/x.so", "PATH": "/"}) == {
        "LANG": "C", "LC_ALL": "C"}


@pytest.mark.parametrize("value,passed", [
    ("C", True), ("en_US.UTF-8", True), ("de_DE@euro", True), ("fr:en", True), ("", True),
    ("a[$(id)]", False), ("x y", False), ("$(touch /tmp/pwn)", False), ("`id`", False),
    ("a" * 65, False), ("C\n", False)])
def test_locale_variables_pass_only_locale_names(value, passed):
    g = Grant("bot", ("web-1",), ("x",), env=("LANG", "LC_*", "APP_*"))
    env = {"LC_X": value, "LANG": value, "APP_X": value}
    want = {"LC_X": value, "LANG": value} if passed else {}
    assert allowed_env(g, env) == {**want, "APP_X": value}


@pytest.mark.parametrize("paths,globs,ok", [
    (("/tmp/x",), ("/tmp/**",), True),
    (("/tmp/a/b/c",), ("/tmp/**",), True),
    (("/tmp/../etc",), ("/tmp/**",), False),
    (("/tmp/x", "/srv"), ("/tmp/**",), False),
    ((), ("/tmp/**",), False),
    (("tmp/x",), ("/tmp/**",), False),
    (("/tmp/x",), ("/tmp/*",), True),
    (("/tmp/x/y",), ("/tmp/*",), False),
])
def test_paths_within(paths, globs, ok):
    assert paths_within(paths, globs) is ok


def scoped_policy(*rules: RuleOverride) -> Policy:
    return Policy(identities=POLICY.identities, targets=POLICY.targets, grants=POLICY.grants,
                  rules=rules)


def test_decide_defaults_without_policy():
    assert decide(Policy(), classify("ls -la")).action is Action.ALLOW
    assert decide(Policy(), classify("rm -rf /srv/cache")).action is Action.APPROVE
    assert decide(Policy(), classify("mkfs.ext4 /dev/sda1")).action is Action.DENY


def test_override_scoped_by_identity_and_path():
    pol = scoped_policy(RuleOverride("fs.rm-recursive", Action.ALLOW, identities=("bot",),
                                     paths=("/tmp/**",)))
    assert decide(pol, classify("rm -rf /tmp/build"), "bot").action is Action.ALLOW
    assert decide(pol, classify("rm -rf /tmp/build"), "other").action is Action.APPROVE
    assert decide(pol, classify("rm -rf /var/tmp"), "bot").action is Action.APPROVE
    # an override of one rule does not lift another finding on the same command
    assert decide(pol, classify("rm -rf /tmp/x; reboot"), "bot").action is Action.DENY


def test_override_by_target_and_first_match_wins():
    pol = scoped_policy(
        RuleOverride("git.history-loss", Action.DENY, targets=("web-1",)),
        RuleOverride("git.history-loss", Action.ALLOW),
    )
    assert decide(pol, classify("git reset --hard"), "bot", "web-1").action is Action.DENY
    assert decide(pol, classify("git reset --hard"), "bot", "db-1").action is Action.ALLOW


def test_unparseable_can_be_made_deny():
    pol = scoped_policy(RuleOverride("parse.unparseable", Action.DENY))
    assert decide(Policy(), classify("echo $((x+2))")).action is Action.APPROVE
    assert decide(pol, classify("echo $((x+2))")).action is Action.DENY


def test_policy_added_rule():
    pol = scoped_policy(RuleOverride("site.helm-upgrade", Action.APPROVE, why="needs a human",
                                     commands=("helm",), args=("upgrade",),
                                     identities=("bot",)))
    d = decide(pol, classify_for(pol, "sudo helm upgrade web ./chart"), "bot")
    assert d.action is Action.APPROVE and d.deciding[0].finding.rule == "site.helm-upgrade"
    assert decide(pol, classify_for(pol, "helm upgrade web ./chart"), "other").action is \
        Action.ALLOW
    assert decide(pol, classify_for(pol, "helm list"), "bot").action is Action.ALLOW


def test_decision_json_shape():
    d = decide(Policy(), classify("rm -rf /"))
    j = d.to_json()
    assert j["decision"] == "deny" and j["command"] == "rm -rf /"
    assert {"rule", "why", "argv"} <= set(j["findings"][0])
    assert "fs.rm-root" in d.reason


# --- path-scoped overrides and expansions (issue 15, item 5) ---------------------------------
TMP_ONLY = (RuleOverride("fs.rm-recursive", Action.ALLOW, paths=("/tmp/**",)),)


@pytest.mark.parametrize("line", [
    "rm -rf /tmp/{..,x}/home/u/data", "rm -rf /tmp/{x,..}/etc", "rm -rf /tmp/{a..z}",
    "rm -rf /tmp/$(echo ..)/home/u/data", "rm -rf \"/tmp/$(echo ..)/home/u/data\"",
    "rm -rf /tmp/`echo ..`/home/u/data", "rm -rf /tmp/${X:-..}/home/u/data",
    "X=..; rm -rf /tmp/$X/home/u/data", "X=.. && rm -rf /tmp/${X}/etc",
    "rm -rf /tmp/../home/u/data", "rm -rf /tmp/x/../../etc", "rm -rf /tmp/*/../../etc",
    "rm -rf /tmp/*", "rm -rf /tmp/[a-z]*", "rm -rf /tmp/?", "rm -rf ~root/data",
    "rm -rf ~/x", "cd /tmp/nope; rm -rf data", "cd /tmp/x && rm -rf ../y",
    "cd /tmp && rm -rf ../home/u", "rm -rf tmp/x", "rm -rf /tmp/$'\\x2e\\x2e'/etc",
    "rm -rf /tmp/x /srv/y",
])
def test_a_path_with_an_expansion_never_satisfies_an_allow_glob(line):
    d = decide(scoped_policy(*TMP_ONLY), classify_for(scoped_policy(*TMP_ONLY), line), "bot")
    assert d.action is not Action.ALLOW, d.to_json()


@pytest.mark.parametrize("line", [
    "rm -rf /tmp/build", "rm -rf /tmp//build", "rm -rf /tmp/./build", "rm -rf '/tmp/a b'",
    "rm -rf /tmp/build/", "rm -r -f /tmp/x /tmp/y",
    # the line's own cd: rm runs in /tmp or not at all (guard/flow.py)
    "cd /tmp && rm -rf data", "cd /tmp/b && rm -rf x y",
])
def test_a_literal_path_under_the_glob_still_satisfies_it(line):
    d = decide(scoped_policy(*TMP_ONLY), classify(line), "bot")
    assert d.action is Action.ALLOW, d.to_json()


# --- least privilege: guard.unknown, the grant's unknown: and allow: -----------------------------
def grant_policy(unknown: Action = Action.APPROVE, allow: tuple[AllowEntry, ...] = (),
                 *rules: RuleOverride) -> Policy:
    g = replace(POLICY.grants[0], unknown=unknown, allow=allow)
    return Policy(identities=POLICY.identities, targets=POLICY.targets, grants=(g,),
                  rules=rules)


def test_unknown_command_is_held_by_default_and_grant_sets_the_action():
    line = "site-tool --sync"
    assert decide(Policy(), classify(line)).action is Action.APPROVE
    assert decide(grant_policy(), classify(line), "bot").action is Action.APPROVE
    assert decide(grant_policy(Action.DENY), classify(line), "bot").action is Action.DENY
    d = decide(grant_policy(Action.ALLOW), classify(line), "bot")
    assert d.action is Action.ALLOW and d.findings[0].finding.rule == "guard.unknown"
    # unknown: allow is the old permissive behaviour: rules still hold what they name
    assert decide(grant_policy(Action.ALLOW), classify("rm -rf /"), "bot").action is Action.DENY
    # the grant is the identity's: another identity keeps the default
    assert decide(grant_policy(Action.ALLOW), classify(line), "other").action is Action.APPROVE


def test_allow_entry_makes_a_site_command_known_safe():
    pol = grant_policy(Action.APPROVE, (AllowEntry("deployctl", ("deploy",), "p.yaml:3"),
                                        AllowEntry("./scripts/status.sh", (), "p.yaml:4"),
                                        AllowEntry("ctl", ("restart", "web-*", "**"), "p:5")))
    for line in ("deployctl deploy", "./scripts/status.sh", "cd /srv/app && ./scripts/status.sh",
                 "ctl restart web-1 --now", "sudo ctl restart web-2"):
        d = decide(pol, classify(line), "bot")
        assert d.action is Action.ALLOW, (line, d.findings)
    d = decide(pol, classify("ctl restart web-1"), "bot")
    assert [c.safe_by for c in d.commands] == ["allow: ctl restart web-* ** (p:5)"]
    # a site program the allow: list names runs only as named (site_program.py)
    for line in ("deployctl deploy-all", "deployctl", "deployctl deploy EXTRA=1",
                 "./scripts/status.sh -v", "/tmp/scripts/status.sh", "bash ./scripts/status.sh -v",
                 "ctl restart db-1", "deployctl $TARGET", "deployctl deploy > ~/.bashrc",
                 "LD_PRELOAD=/tmp/x.so deployctl deploy", "ctl restart web-*",
                 "/usr/bin/env deployctl deploy; echo $(deployctl x)"):
        assert decide(pol, classify(line), "bot").action is not Action.ALLOW, line


def test_allow_entry_never_lifts_a_rule():
    pol = grant_policy(Action.APPROVE, (AllowEntry("rm", ("**",), "p:1"),))
    assert decide(pol, classify("rm -rf /"), "bot").action is Action.DENY
    assert decide(pol, classify("rm -rf /srv/x"), "bot").action is Action.APPROVE
    assert decide(pol, classify("rm /srv/x.db"), "bot").action is Action.ALLOW


def test_policy_added_rule_does_not_make_a_command_known_safe():
    pol = grant_policy(Action.APPROVE, (), RuleOverride(
        "site.tool", Action.ALLOW, why="x", commands=("site-tool",), identities=("bot",)))
    assert decide(pol, classify_for(pol, "site-tool"), "bot").action is Action.APPROVE
    assert decide(pol, classify_for(pol, "site-tool"), "other").action is Action.APPROVE


def test_decision_json_names_what_made_each_command_safe():
    d = decide(Policy(), classify("git -C /srv/app pull && site-tool; rm -rf /"))
    cmds = d.to_json()["commands"]
    assert cmds[0] == {"argv": ["git", "-C", "/srv/app", "pull"],
                       "safe_by": "catalogue: git pull", "held_by": []}
    assert cmds[1]["safe_by"] is None and cmds[1]["held_by"] == ["guard.unknown"]
    assert cmds[2]["safe_by"] is None and "fs.rm-root" in cmds[2]["held_by"]


def test_allow_narrowing_holds_every_spelling_of_the_named_script():
    # (red team s11) the entry named ./scripts/deploy.sh: scripts/deploy.sh, bash
    # scripts/deploy.sh, a cd into scripts/ or the absolute path ran it unnarrowed
    pol = grant_policy(Action.APPROVE, (AllowEntry("./scripts/deploy.sh", ("web-*",), "p:1"),
                                        AllowEntry("python", ("tools/report.py", "--daily"),
                                                   "p:2")))
    for line in ("./scripts/deploy.sh web-1", "python tools/report.py --daily"):
        assert decide(pol, classify(line), "bot").action is Action.ALLOW, line
    for line in ("scripts/deploy.sh db-1", "bash scripts/deploy.sh db-1",
                 "sh -e scripts/deploy.sh db-1", "cd scripts && ./deploy.sh db-1",
                 "cd /srv/app && /srv/app/scripts/deploy.sh db-1",
                 "timeout 60 scripts/deploy.sh db-1", "python3 tools/report.py --all",
                 ".venv/bin/python tools/report.py --all", "cd tools && python report.py --all",
                 "python ./tools/report.py --all"):
        assert decide(pol, classify(line), "bot").action is not Action.ALLOW, line
    # another script of the same tree is not narrowed by it
    assert decide(pol, classify("./scripts/status.sh"), "bot").action is Action.ALLOW
