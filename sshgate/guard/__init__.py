"""The command guard: parse a command line (bashlex) and classify what it would do. Pure."""

from .classify import Classification, Finding, classify

__all__ = ["Classification", "Finding", "classify"]
