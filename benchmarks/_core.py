"""What a scenario is: polyfn, its peers and a floor, each a zero-argument callable.

Every implementation is built by a ``setup`` function that returns the callable to
time. A setup that needs something not installed or not written yet raises
:class:`Unavailable`; the runner then prints ``n/a`` with the reason, never a number.
``canon`` maps an implementation's result to a comparable form, so the smoke test
can check that polyfn and every peer computed the same thing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Fresh", "Impl", "Scenario", "Target", "Unavailable", "need"]


class Unavailable(Exception):
    """An implementation cannot run here (library missing, adapter not implemented yet)."""


def need(module: str, what: str | None = None, *, attr: str | None = None) -> Any:
    """Import ``module`` (and check it defines ``attr``) or raise :class:`Unavailable`
    naming what is missing: a library not installed, or polyfn code not written yet."""
    ours = module.split(".")[0] in ("adapters", "sdk", "examples")
    try:
        imported = importlib.import_module(module)
    except ImportError as exc:
        missing = getattr(exc, "name", None) or module
        if ours and missing.split(".")[0] in ("adapters", "sdk", "examples"):
            raise Unavailable(f"not implemented yet: {what or module}") from None
        raise Unavailable(f"{missing} is not installed") from None
    if attr is not None and not hasattr(imported, attr):
        raise Unavailable(f"not implemented yet: {what or f'{module}.{attr}'}")
    return imported


class Fresh:
    """A timed callable that runs ``run(make())``: a new event for every call.

    The timing loop (``_timing.per_call_us``) makes the events of each timed
    stretch before it starts, ``chunk`` at a time, and times only ``run`` over them,
    with the garbage collector on: no side sees a payload another call warmed
    (cached keys, decoded fields), and each pays for the garbage it makes. Called
    directly (warm-up, the smoke test) it makes one event and runs it.
    """

    __slots__ = ("chunk", "make", "run")

    def __init__(self, run: Callable[[Any], Any], make: Callable[[], Any],
                 chunk: int = 100) -> None:
        self.run = run
        self.make = make
        self.chunk = chunk

    def __call__(self) -> Any:
        return self.run(self.make())


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Impl:
    """One side of a comparison: ``setup()`` returns the zero-argument callable to time."""

    name: str
    setup: Callable[[], Callable[[], Any]]
    #: the result in a form comparable across implementations (smoke test)
    canon: Callable[[Any], Any] = _same
    #: what of polyfn's canonical result this side must equal (a peer that only
    #: reads the request is compared with what the handler read)
    project: Callable[[Any], Any] = _same


@dataclass(frozen=True)
class Target:
    """A goal from the issue: polyfn at most ``ratio`` x ``against``, or at most
    ``extra_us`` microseconds more than it."""

    against: str  # a peer's name, or "floor"
    ratio: float | None = None
    extra_us: float | None = None

    def describe(self) -> str:
        if self.ratio is not None:
            return f"<= {self.ratio:g}x {self.against}"
        return f"<= {self.against} + {self.extra_us:g} us"

    def check(self, polyfn_us: float, other_us: float) -> bool:
        if self.ratio is not None:
            return polyfn_us <= self.ratio * other_us
        assert self.extra_us is not None
        return polyfn_us - other_us <= self.extra_us


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    polyfn: Impl
    peers: tuple[Impl, ...] = ()
    floor: Impl | None = None
    targets: tuple[Target, ...] = field(default=())

    def impls(self) -> list[tuple[str, Impl]]:
        """(role, impl) pairs: ``polyfn``, ``peer`` ..., ``floor``."""
        out = [("polyfn", self.polyfn)] + [("peer", p) for p in self.peers]
        if self.floor is not None:
            out.append(("floor", self.floor))
        return out
