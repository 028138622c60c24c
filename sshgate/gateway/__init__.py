"""The asyncssh glue: agent-facing server, per-channel relay, upstream connections."""
