"""What every provider's Context builder shares: the cold-start flag and the W3C
trace id.

* :class:`ColdStart`: ``Context.cold_start`` is true for the first invocation a
  process serves through one entry point family, false after. Each provider module
  holds one (``COLD = ColdStart()``); :meth:`ColdStart.take` reads and clears it.
* :func:`traceparent_id`: the trace id of a W3C ``traceparent`` header
  (``version-traceid-parentid-flags``, https://www.w3.org/TR/trace-context/#traceparent-header),
  which Azure, Google Cloud and CloudEvents senders (Knative, Dapr) carry.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ColdStart", "traceparent_id"]


class ColdStart:
    """True until :meth:`take` is first called (then false for the process)."""

    __slots__ = ("cold",)

    def __init__(self) -> None:
        self.cold = True

    def take(self) -> bool:
        """Whether this is the first invocation; the next call answers false."""
        cold, self.cold = self.cold, False
        return cold


def traceparent_id(traceparent: Any) -> str | None:
    """The 32-hex trace id of a W3C ``traceparent``; ``None`` when it is not one."""
    if not traceparent:
        return None
    parts = str(traceparent).split("-")
    if len(parts) >= 4 and len(parts[1]) == 32:
        return parts[1]
    return None
