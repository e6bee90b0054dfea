"""A nightly job, written once for every cloud: report on the day that just ended.

EventBridge schedules, Azure timers and Cloud Scheduler all arrive as a
:class:`~sdk.Schedule`. What each cloud tells differs, and a field it does not send
is ``None``: EventBridge and Cloud Scheduler say when this run was scheduled
(``scheduled_time``) and name the rule or job (``schedule``); an Azure timer says
only whether the run is late (``past_due``). So the day falls back to the clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sdk
from sdk import Context, Schedule


@sdk.function
def handle(tick: Schedule, context: Context) -> dict[str, str | None]:
    fired = tick.scheduled_time or datetime.now(timezone.utc)
    day = (fired - timedelta(days=1)).date().isoformat()
    if tick.past_due:
        context.logger.warning("running late", day=day)
    context.logger.info("nightly report", day=day, schedule=tick.schedule,
                        remaining_ms=context.remaining_ms())
    return {"report": day, "schedule": tick.schedule}
