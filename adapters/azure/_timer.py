"""Timer trigger: ``func.TimerRequest`` -> :class:`~sdk.Schedule`.

The timer object (https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#usage)
says whether the run is past due and, with schedule monitoring on, the schedule's
status (``Last``, ``Next``, ``LastUpdated``). It does not say when this run was
scheduled nor which schedule fired, so ``scheduled_time`` and ``schedule`` stay
``None`` (``Last`` is the previous run, not this one).
"""

from __future__ import annotations

from typing import Any

from adapters._time import decode_time
from sdk import Schedule

from ._native import is_native, stringify
from ._records import RecordsTrigger

__all__ = ["Timer"]

#: ScheduleStatus member -> attribute name.
_STATUS = (("Last", "last"), ("Next", "next"), ("LastUpdated", "last_updated"))


class Timer(RecordsTrigger):
    """Timer trigger (``app.timer_trigger`` / ``app.schedule``)."""

    name = "azure.timer"
    kind = Schedule
    semantics = ("A handler error fails the run; it is retried only under a retry policy "
                 "(app.retry / host.json), else the next run comes on schedule.")

    def matches(self, raw: Any) -> bool:
        return is_native(raw, "TimerRequest")

    def event(self, item: Any, index: int, shared: Any) -> Schedule[Any]:
        status = item.schedule_status if isinstance(item.schedule_status, dict) else {}
        attributes: dict[str, str] = {}
        for member, key in _STATUS:
            parsed = decode_time(status.get(member), self.name, f"ScheduleStatus.{member}")
            if parsed is not None:
                attributes[key] = stringify(parsed)
        return Schedule(
            past_due=bool(item.past_due), provider="azure", trigger=self.name, data=None,
            attributes=attributes, raw=item, native=lambda: item,
        )
