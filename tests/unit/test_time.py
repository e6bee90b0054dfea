"""The one time rule (``adapters/_time.py``): RFC 3339 text to aware UTC, its fast path
giving what the full parse gives."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

import adapters._time as rule
from adapters._time import common_time, parse_time

UTC = timezone.utc


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-13T10:15:30Z", datetime(2024, 3, 13, 10, 15, 30, tzinfo=UTC)),
    ("2024-03-13T10:15:30+00:00", datetime(2024, 3, 13, 10, 15, 30, tzinfo=UTC)),
    ("2024-03-13T10:15:30.1Z", datetime(2024, 3, 13, 10, 15, 30, 100000, tzinfo=UTC)),
    ("2024-03-13T10:15:30.1234567+00:00", datetime(2024, 3, 13, 10, 15, 30, 123456, tzinfo=UTC)),
    ("2021-11-25T21:56:00.653866570Z", datetime(2021, 11, 25, 21, 56, 0, 653866, tzinfo=UTC)),
    ("2024-03-13T10:15:30.123456789012Z", datetime(2024, 3, 13, 10, 15, 30, 123456, tzinfo=UTC)),
    ("2024-03-13t10:15:30z", datetime(2024, 3, 13, 10, 15, 30, tzinfo=UTC)),
    ("2024-03-13 10:15:30", datetime(2024, 3, 13, 10, 15, 30, tzinfo=UTC)),
    ("2024-03-13T10:15:30+02:00", datetime(2024, 3, 13, 8, 15, 30, tzinfo=UTC)),
    ("2024-03-13T10:15:30.5-0130", datetime(2024, 3, 13, 11, 45, 30, 500000, tzinfo=UTC)),
    ("2016-12-31T23:59:60Z", datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)),
])
def test_rfc3339_text_becomes_utc(text: str, expected: datetime) -> None:
    parsed = parse_time(text)
    assert parsed == expected and parsed.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["yesterday", "", "2024-02-30T10:15:30Z",
                                  "2024-13-01T00:00:00+00:00", "2024-03-13T10:15Z",
                                  "2024-03-13T10:15:30.Z", 17, None])
def test_anything_else_is_a_value_error(text: Any) -> None:
    with pytest.raises(ValueError):
        parse_time(text)


@pytest.mark.parametrize("text", ["2024-03-13T10:15:30Z", "2024-03-13T10:15:30.1+00:00",
                                  "2021-11-25T21:56:00.653866570Z", "2024-02-29T00:00:00Z"])
def test_the_fast_path_for_python_3_10_reads_as_3_11s(text: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    fast = parse_time(text)
    monkeypatch.setattr(rule, "_READS_RFC3339", False)
    assert parse_time(text) == fast


def test_common_time_is_z_with_no_three_or_six_fraction_digits() -> None:
    assert [common_time(t) for t in ("2024-03-13T10:15:30Z", "2024-03-13T10:15:30.123Z",
                                     "2024-03-13T10:15:30.123456Z", "2024-03-13T10:15:30.1Z",
                                     "2024-03-13T10:15:30+00:00", "")] == [
        True, True, True, False, False, False]
