"""What a subcommand is, and the error that means "bad input" (exit code 2)."""

from __future__ import annotations

import argparse
from typing import Protocol

__all__ = ["EXIT_BAD_INPUT", "EXIT_HANDLER_ERROR", "EXIT_OK", "BadInput", "Command",
           "WrongKind"]

EXIT_OK = 0
EXIT_HANDLER_ERROR = 1
EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """The user's input cannot be used: unreadable file, bad JSON, unknown trigger,
    bad ``MODULE:HANDLER``. The message is one line and names keys, never values;
    ``__cause__`` (if any) is shown only with ``--traceback``."""


class WrongKind(BadInput):
    """A well-formed payload of a kind the handler does not take (an SQS batch to
    an ``HTTPRequest`` handler): exit code 2 too, 415 from ``polyfn serve``."""


class Command(Protocol):
    """One ``polyfn`` subcommand: ``polyfn <name> ...``."""

    name: str
    help: str

    def configure(self, parser: argparse.ArgumentParser) -> None:
        """Add this subcommand's arguments to its own parser."""

    def run(self, args: argparse.Namespace) -> int:
        """Do it; return the exit code (raise :class:`BadInput` for exit code 2)."""
