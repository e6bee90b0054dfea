"""Real servers on loopback for the tests (see ``_base`` for the pattern)."""
