"""Handlers the ``polyfn run`` subprocess tests load (``tests.run.handlers:NAME``)."""

from __future__ import annotations

import os
import time
from typing import Any


def slow(event: Any) -> None:
    """Takes ``SLOW_SECONDS`` per record, then writes its ``n`` to ``RUN_LOG``."""
    time.sleep(float(os.environ.get("SLOW_SECONDS", "0.5")))
    with open(os.environ["RUN_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{event.data['n']}\n")


def ok(event: Any) -> None:
    """Accepts everything."""
