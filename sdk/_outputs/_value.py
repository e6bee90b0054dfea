"""Plain value classes without ``dataclasses``.

``dataclasses`` imports ``inspect`` (and with it ``ast``, ``dis``, ``tokenize``):
about 20 ms of a cold start under ``-X importtime``, to build five small record
classes of the outputs. A class here lists its fields in ``__slots__`` and writes
its ``__init__``; :class:`Value` gives it equality and a ``repr`` by those fields.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Value"]


class Value:
    """Equality and ``repr`` over ``__slots__`` (the fields, in order)."""

    __slots__ = ()

    def _names(self) -> tuple[str, ...]:
        names: tuple[str, ...] = type(self).__slots__
        return names

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._names())

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Value)
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable, as a plain dataclass

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._names())
        return f"{type(self).__name__}({shown})"
