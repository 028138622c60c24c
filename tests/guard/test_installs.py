"""Installs of software by name (red team s7, classes C19 and C24): the agent picks the code
that runs (maintainer scripts as root, setup.py, npm lifecycle scripts) and apt resolves
conflicts by removing packages, so ``pkg.install`` holds them; the project's own declared
dependencies (``npm ci``, ``pip install -r requirements.txt``) stay ordinary."""

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
    "apt-get install -y exim4", "apt-get install -y mariadb-server",
    "apt-get install -y sysvinit-core", "pip install attacker-pkg",
    "python3 -m pip install attacker-pkg", "pip install --user attacker-pkg",
    "npm install -g attacker-pkg",
    # system package managers, every verb that installs or upgrades
    "sudo apt-get install -y jq", "sudo apt install -y htop", "apt-get -y install nginx",
    "apt-get install --reinstall openssh-server", "apt-get upgrade -y", "apt full-upgrade",
    "apt-get dist-upgrade", "sudo dnf install -y git", "yum install httpd", "yum update",
    "yum -y update openssl", "dnf upgrade", "apk add curl", "apk upgrade",
    "brew install jq", "brew upgrade", "brew tap evil/tap", "snap install foo",
    "snap refresh", "zypper in vim", "pacman -S nmap", "pacman -Syu",
    "apt-get install -y nginx=1.24.0-1", "DEBIAN_FRONTEND=noninteractive apt-get install -y x",
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
    for line in ("apt-get install -y exim4", "pip install attacker-pkg", "npm install -g x"):
        assert "pkg.install" in {f.rule for f in classify(line).findings}, line


#: options the catalogue's install shapes allow: known safe by the catalogue (a site that sets
#: pkg.install to allow gets them), held only by the rule
RULE_ONLY = [
    "npm install express", "npm i -D typescript@5", "npm install @types/node", "yarn add lodash",
    "pip install requests", "pip install 'requests>=2,<3'", "pip install --upgrade --user black",
    "pip install --no-cache-dir requests==2.31.0", "apt-get install -y nginx",
    "sudo apt-get install -y --no-install-recommends jq", "dnf install -y git",
]


@pytest.mark.parametrize("line", RULE_ONLY)
def test_install_is_known_safe_but_held_by_the_rule(line: str) -> None:
    c = classify(line)
    assert {f.rule for f in c.findings} == {"pkg.install"}, c.findings
    assert known_safe(parse(line).commands[-1]).entry is not None


@pytest.mark.parametrize("line", ["pip install attacker-pkg", "apt-get install -y exim4"])
def test_a_site_may_allow_installs(line: str) -> None:
    policy = Policy(rules=(RuleOverride("pkg.install", Action.ALLOW),))
    assert decide(policy, classify_for(policy, line)).action is Action.ALLOW
