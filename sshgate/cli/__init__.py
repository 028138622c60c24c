"""The ``sshgate`` command line: thin click commands over the core, rendered with rich."""
