"""guard/registry.py: image references, where a push may go, tags between publishers, and the
registry tokens sealed into docker login (the lines themselves: test_infra_tools.py)."""

from __future__ import annotations

import pytest

from sshgate.guard.parse import parse
from sshgate.guard.registry import image_ref, push_why, sealed_logins, tag_why


@pytest.mark.parametrize(("word", "ref"), [
    ("web", ("", "web")), ("web:1.2", ("", "web")), ("acme/web:latest", ("", "acme/web")),
    ("ghcr.io/acme/web:sha-1", ("ghcr.io", "acme/web")),
    ("localhost:5000/web", ("localhost:5000", "web")),
    ("registry.example.com:443/a/b/c@sha256:" + "a" * 64, ("registry.example.com:443", "a/b/c")),
])
def test_plain_references_are_read_as_docker_does(word: str, ref: tuple[str, str]) -> None:
    assert image_ref(word) == ref


@pytest.mark.parametrize("word", [
    "", "-x", "$X", "Web", "web:", "web:-x", "a//b", "evil..example/x", "web@sha256:12",
    "a/b:c:d", "x" * 600, "ghcr.io/acme/web;id", "../web",
])
def test_anything_else_is_not_a_reference(word: str) -> None:
    assert image_ref(word) is None


def test_a_push_goes_only_where_the_host_identity_bounds_it() -> None:
    assert push_why("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1") is None
    assert push_why("acme/web:1") is None
    assert push_why("europe-west1-docker.pkg.dev/acme/web/api:1") is None
    for w in ("evil.example/x", "localhost:5000/x", "123456789012.dkr.ecr.eu-west-1."
              "amazonaws.com.evil.example/x", "ghcr.io.evil.example/x", "$R"):
        assert push_why(w), w


def test_a_tag_keeps_names_within_one_publisher() -> None:
    assert tag_why("web:dev", "ghcr.io/acme/web:1") is None
    assert tag_why("acme/web:1", "docker.io/acme/web:2") is None
    for src, dst in (("evil/x", "web"), ("evil/x", "acme/web"), ("ghcr.io/evil/x",
                     "ghcr.io/acme/x"), ("deadbeef", "web"), ("sha256:" + "a" * 64, "web")):
        assert tag_why(src, dst), (src, dst)


ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com"


@pytest.mark.parametrize(("line", "sealed"), [
    (f"aws ecr get-login-password | docker login -u AWS --password-stdin {ECR}", 2),
    (f"aws ecr get-login-password | docker login -u AWS --password-stdin https://{ECR}/", 2),
    ("aws ecr get-login-password | docker login -u AWS --password-stdin evil.example", 0),
    (f"aws ecr get-login-password | tee t | docker login -u AWS --password-stdin {ECR}", 0),
    (f"aws ecr get-login-password 2>e | docker login -u AWS --password-stdin {ECR}", 0),
    (f"aws ecr get-login-password x | docker login -u AWS --password-stdin {ECR}", 0),
    (f"aws ecr get-login-password | docker login -u AWS {ECR}", 0),
    (f"aws ecr get-login-password | docker login -u 'A W' --password-stdin {ECR}", 0),
    (f"aws ecr get-login-password | docker login --password-stdin {ECR} {ECR}", 0),
    (f"gcloud auth print-access-token | docker login --password-stdin {ECR}", 0),
    ("gcloud auth print-access-token | docker login -u oauth2accesstoken --password-stdin "
     "us-docker.pkg.dev", 2),
    (f"echo x | docker login -u AWS --password-stdin {ECR}", 0),
])
def test_only_the_exact_pipeline_is_sealed(line: str, sealed: int) -> None:
    assert len(sealed_logins(parse(line))) == sealed
