"""The progress line: redrawn in place on a terminal, plain lines otherwise."""

from __future__ import annotations

import io
import time

import pytest

from adapters._run import _progress
from adapters._run._progress import Progress
from adapters._run._source import Tally


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_one_line_redrawn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_progress, "TTY_EVERY", 0.01)
    stream = Terminal()
    progress = Progress("sqs://q", stream=stream)
    progress.start()
    progress.add(Tally(processed=2, failed=1, retried=1))
    time.sleep(0.1)
    summary = progress.finish("stopped")
    text = stream.getvalue()
    assert "\rsqs://q: 2 processed, 1 failed, 1 retried, 0 dead-lettered" in text.replace(
        "\x1b[K", "")
    assert text.endswith(summary + "\n") and text.count("\n") == 1  # the summary only
    assert summary.startswith("polyfn run: stopped after ")


def test_a_log_gets_plain_lines_only_when_something_changed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_progress, "PLAIN_EVERY", 0.02)
    stream = io.StringIO()
    progress = Progress("pubsub://s", stream=stream)
    progress.start()
    progress.add(Tally(processed=1))
    time.sleep(0.2)
    progress.finish("idle")
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert lines.count("pubsub://s: 1 processed, 0 failed, 0 retried, 0 dead-lettered") == 1
    assert lines[-1].startswith("polyfn run: idle after ")


def test_tallies_add_up() -> None:
    total = Tally()
    total.add(Tally(processed=1, failed=2, retried=1, dead_lettered=1, redelivered=3))
    total.add(Tally(processed=1))
    assert total == Tally(processed=2, failed=2, retried=1, dead_lettered=1, redelivered=3)
