"""The security tests use the integration lab: real sshd, real ssh, the gateway process."""

from ..integration.conftest import (  # noqa: F401  (fixtures and helpers)
    audit,
    cert_ids_seen_by_sshd,
    lab,
    make_lab,
    pytest_collection_modifyitems,
)
