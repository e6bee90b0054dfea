"""Argument types for the ``polyfn`` options and the parser that reports a usage
error in one line (exit code 2), like every other bad input.

A type raises :class:`argparse.ArgumentTypeError`; argparse turns it into
``argument --port: ...`` and :meth:`OneLineParser.error` prints that as
``error: polyfn serve: argument --port: ... (see polyfn serve --help)``.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

from .command import EXIT_BAD_INPUT

__all__ = ["OneLineParser", "port", "positive_int", "size"]

#: Size suffixes -> bytes (binary, as the docs quote limits: 6 MiB).
_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "kib": 1024,
          "m": 1024 ** 2, "mb": 1024 ** 2, "mib": 1024 ** 2,
          "g": 1024 ** 3, "gb": 1024 ** 3, "gib": 1024 ** 3}
_SIZE = re.compile(r"\s*(\d+)\s*([a-z]*)\s*", re.IGNORECASE)


class OneLineParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose usage errors are one ``error:`` line on stderr."""

    def error(self, message: str) -> NoReturn:
        print(f"error: {self.prog}: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def _integer(text: str, what: str) -> int:
    try:
        return int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{what} must be a whole number, not {text!r}") from None


def port(text: str) -> int:
    """A TCP port, 0 (any free port) to 65535."""
    value = _integer(text, "the port")
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"the port must be 0-65535, not {value}")
    return value


def positive_int(text: str) -> int:
    """A whole number of at least 1 (threads, seconds)."""
    value = _integer(text, "the value")
    if value < 1:
        raise argparse.ArgumentTypeError(f"the value must be at least 1, not {value}")
    return value


def size(text: str) -> int:
    """A byte count, bare or with a unit: ``6291456``, ``512KiB``, ``6MiB``, ``1G``."""
    match = _SIZE.fullmatch(text)
    unit = _UNITS.get(match.group(2).lower()) if match else None
    if match is None or unit is None:
        raise argparse.ArgumentTypeError(f"expected a size like 6MiB or 1048576, not {text!r}")
    value = int(match.group(1)) * unit
    if value < 1:
        raise argparse.ArgumentTypeError("the size must be at least 1 byte")
    return value
