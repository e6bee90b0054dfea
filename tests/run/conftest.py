"""Helpers for the ``polyfn run`` tests: run a source in-process until idle, or
``polyfn run`` as a subprocess (for signals)."""

from __future__ import annotations

import inspect
import io
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from adapters._run import Options, open_source
from adapters._run._loop import Loop
from adapters._run._progress import Progress
from adapters._run._source import Tally
from sdk import Function
from tests.support.samples import PROJECT_ROOT


def run_until_idle(address: str, handler: Callable[..., Any], *, idle: float = 3.0,
                   concurrency: int = 1, **options: Any) -> Tally:
    """Run ``handler`` on ``address`` as ``polyfn run`` does, until ``idle`` seconds
    pass without a message; the totals."""
    source = open_source(address, Options(**options))
    if not isinstance(handler, Function):
        routine = handler if inspect.isroutine(handler) else handler.__call__  # a Flaky
        handler = Function(routine)
    source.open(handler)
    progress = Progress(address, stream=io.StringIO())
    Loop(source, progress, concurrency=concurrency, idle=idle).run()
    return progress.total


def polyfn_run(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """``polyfn run ARGS`` in a subprocess, from the project root."""
    return subprocess.Popen([sys.executable, "-m", "adapters.cli", "run", *args],
                            cwd=PROJECT_ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
