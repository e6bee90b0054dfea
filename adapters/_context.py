"""What every provider's Context builder shares: the cold-start flag and the W3C
trace id.

* :class:`ColdStart`: ``Context.cold_start`` is true for the first invocation a
  process serves through one entry point family, false after. Each provider module
  holds one (``COLD = ColdStart()``); :meth:`ColdStart.take` reads and clears it.
* :class:`PendingContext`: a ``Context`` filled in from the provider's context
  object on first read (Lambda's, ``func.Context``), so a handler that neither
  takes the context nor fails never pays for building it.
* :func:`traceparent_id`: the trace id of a W3C ``traceparent`` header
  (``version-traceid-parentid-flags``, https://www.w3.org/TR/trace-context/#traceparent-header),
  which Azure, Google Cloud and CloudEvents senders (Knative, Dapr) carry.
"""

from __future__ import annotations

from typing import Any

from sdk import Context

__all__ = ["ColdStart", "PendingContext", "traceparent_id"]


class ColdStart:
    """True until :meth:`take` is first called (then false for the process)."""

    __slots__ = ("cold",)

    def __init__(self) -> None:
        self.cold = True

    def take(self) -> bool:
        """Whether this is the first invocation; the next call answers false."""
        cold, self.cold = self.cold, False
        return cold


class PendingContext(Context):
    """A :class:`Context` whose fields are filled in on first read by :meth:`_fill`
    from ``_pending`` (the provider's context object first), which the provider's
    builder sets on an instance made without ``__init__``."""

    __slots__ = ("_pending",)

    _pending: tuple[Any, ...] | None

    def __getattr__(self, name: str) -> Any:
        # Python calls this only for an attribute that is not set: before the
        # fill, Context's slots (a copy, made without __init__, has nothing pending).
        pending = self._pending if name in _SLOTS and hasattr(self, "_pending") else None
        if pending is None:
            raise AttributeError(f"'Context' object has no attribute {name!r}")
        self._pending = None
        self._fill(*pending)
        return getattr(self, name)

    def _deadline_at(self) -> float | None:
        # The deadline alone, without the fill (idempotency's lease reads it per event).
        pending = self._pending
        return self._deadline_ms if pending is None else self._deadline_of(pending[0])

    @staticmethod
    def _deadline_of(raw: Any) -> float | None:
        """The deadline (epoch milliseconds) the provider's context object tells."""
        return None

    def _fill(self, *pending: Any) -> None:
        raise NotImplementedError


_SLOTS = frozenset(Context.__slots__)


def traceparent_id(traceparent: Any) -> str | None:
    """The 32-hex trace id of a W3C ``traceparent``; ``None`` when it is not one."""
    if not traceparent:
        return None
    parts = str(traceparent).split("-")
    if len(parts) >= 4 and len(parts[1]) == 32:
        return parts[1]
    return None
