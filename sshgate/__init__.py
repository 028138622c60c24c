"""sshgate: an SSH gateway that enforces least privilege for AI agents below the agent."""

__version__ = "0.1.0"

#: Exit status an agent sees when sshgate refuses a command or a session.
EXIT_REFUSED = 77
#: Exit status when the target cannot be reached (as OpenSSH's own connection errors).
EXIT_UNREACHABLE = 255
