"""Azure Functions (Python v2 programming model) entry point: ``nightly``, a timer
trigger at 02:00 UTC every day (NCRONTAB: with seconds). A handler error is logged and
the next run comes on schedule.
"""

from __future__ import annotations

import azure.functions as func

from adapters.azure import bind
from examples.nightly.handler import handle

app = func.FunctionApp()
app.timer_trigger(arg_name="timer", schedule="0 0 2 * * *")(
    bind(handle, "timer", name="nightly"))
