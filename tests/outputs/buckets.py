"""What every ``sdk.bucket`` driver does the same, checked once for each backend."""

from __future__ import annotations

from typing import Any

import pytest

import sdk

__all__ = ["missing_is_not_found", "round_trip"]


def round_trip(files: Any) -> None:
    """Write, read, exists, list and delete on an empty bucket. Left behind:
    ``a/b.json`` (JSON, metadata ``{"tenant": "a"}``) and ``z.bin``, for the caller
    to check how the backend stored them."""
    files.write("a/b.json", {"x": 1}, metadata={"tenant": "a"})
    files.write("a/c.txt", "hello")
    files.write("z.bin", b"\x00\xff")
    assert files.read("a/b.json") == b'{"x":1}'
    assert files.exists("a/c.txt") and not files.exists("a/nope")
    assert list(files.list("a/")) == ["a/b.json", "a/c.txt"]
    assert list(files.list()) == ["a/b.json", "a/c.txt", "z.bin"]
    files.delete("a/c.txt")
    files.delete("a/c.txt")  # a missing object: not an error
    assert list(files.list("a/")) == ["a/b.json"]


def missing_is_not_found(files: Any, code: str) -> None:
    """Reading or opening a missing key raises NotFound with the backend's ``code``."""
    for call in (files.read, files.open):
        with pytest.raises(sdk.NotFound) as caught:
            call("missing.txt")
        assert (caught.value.code, caught.value.key) == (code, "missing.txt")
