"""Helpers for the ``polyfn run`` tests: run a source in-process until idle, or
``polyfn run`` as a subprocess (for signals)."""

from __future__ import annotations

import inspect
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
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


def terminated_after_one(tmp_path: Path, source: str, *options: str, seconds: float
                         ) -> tuple[int, str, list[int]]:
    """``polyfn run`` of ``tests.run.handlers:slow`` (``seconds`` per record) on
    ``source``, sent SIGTERM as soon as it has handled one record: its exit code,
    its stderr and the ``n`` of every record it handled before it stopped."""
    log = tmp_path / "done.txt"
    log.touch()
    process = polyfn_run("tests.run.handlers:slow", "--source", source, *options,
                         env={"RUN_LOG": str(log), "SLOW_SECONDS": str(seconds)})
    deadline = time.monotonic() + 60
    while not log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    return process.returncode, err, [int(line) for line in log.read_text().split()]
