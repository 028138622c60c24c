"""Deleting build artifacts (find.artifacts_only, rules.build_artifacts_only): a cleanup of
compiled files and caches by name, in the working tree, is ordinary; every other find
deletion or glob stays held."""

from __future__ import annotations

from .expect import allowed, each, held

ALLOWED = [
    "find . -name '*.pyc' -delete", "find . -type d -name __pycache__ -exec rm -rf {} +",
    "find src -name '*.pyc' -exec rm -f {} \\;", "find . -name '*.py[co]' -delete",
    "find . -name __pycache__ -type d -prune -exec rm -rf {} +",
    "find . \\( -name '*.pyc' -o -name '*.pyo' \\) -delete",
    "find . -type d -name node_modules -prune -exec rm -rf '{}' +",
    "find . -maxdepth 3 -name .pytest_cache -type d -exec rm -rf {} +",
    "rm -rf *.egg-info", "rm -f *.pyc", "rm -rf build dist *.egg-info", "rm -rf src/*.egg-info",
    "rm -rf -- *.pyc", "rm *.pyc",
]

HELD = [
    # what else -o, !, -prune and a second action select
    "find . -name '*.pyc' -o -delete", "find . -name '*.pyc' -delete -o -delete",
    "find . ! -name '*.pyc' -delete", "find . -name '*.pyc' -prune -o -delete",
    "find . -name '*.pyc' -o -name '*.py' -delete",
    "find . -name '*.pyc' -exec rm -rf {} + -delete",
    "find . -name '*.pyc' -exec rm -rf {} /srv +",
    "find . -name '*.pyc' -exec sh -c 'rm -rf /' \\;",
    "find . \\( -name '*.pyc' -o \\) -delete", "find . -name '*.pyc' -o \\( -delete \\)",
    # names that are not artifacts, computed names, links followed
    "find . -name '*.py' -delete", "find . -name $N -delete", "find -L . -name '*.pyc' -delete",
    "find . -iname '*' -delete", "find . -name '*.pyc*' -delete",
    # where it walks
    "find / -name '*.pyc' -delete", "find ~ -name '*.pyc' -delete", "find .. -name '*.pyc' -delete",
    "cd / && find . -name '*.pyc' -delete", "find .ssh -name '*.o' -delete",
    # globs that may name anything
    "rm -rf *", "rm -f *.py", "rm -rf node_*", "rm -rf build*", "rm -rf ~/*.egg-info",
    "rm -rf ../*.egg-info", "rm -f .*.pyc", "rm -rf .ssh/*.o", "rm -f /*.pyc",
    "rm -rf *.egg-info*",
]


def test_artifact_cleanups_are_known_safe() -> None:
    each(ALLOWED, allowed)


def test_other_deletions_stay_held() -> None:
    each(HELD, held)
