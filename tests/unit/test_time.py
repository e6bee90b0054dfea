"""The one time rule (``adapters/_time.py``), tested here once: RFC 3339 text and
datetimes to aware UTC, its fast path giving what the full parse gives, the rule
for a field that must be readable (errors name the key, never the value), the
free-text rule and epoch numbers."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import adapters._time as rule
from adapters._time import (
    common_time,
    decode_time,
    epoch_ms,
    epoch_seconds,
    maybe_time,
    parse_time,
    utc,
)
from sdk import EventDecodeError

UTC = timezone.utc


def _is_utc(value: datetime) -> bool:
    offset = value.utcoffset()
    return offset is not None and offset == timedelta(0)


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-13T10:15:30Z", datetime(2024, 3, 13, 10, 15, 30, tzinfo=UTC)),
    ("2024-03-13T10:15:30+00:00", datetime(2024, 3, 13, 10, 15, 30, tzinfo=UTC)),
    ("2024-03-13T10:15:30.1Z", datetime(2024, 3, 13, 10, 15, 30, 100000, tzinfo=UTC)),
    ("2024-03-13T10:15:30.1234567+00:00", datetime(2024, 3, 13, 10, 15, 30, 123456, tzinfo=UTC)),
    ("2021-11-25T21:56:00.653866570Z", datetime(2021, 11, 25, 21, 56, 0, 653866, tzinfo=UTC)),
    ("2024-03-13T10:15:30.123456789012Z", datetime(2024, 3, 13, 10, 15, 30, 123456, tzinfo=UTC)),
    ("2024-03-13t10:15:30z", datetime(2024, 3, 13, 10, 15, 30, tzinfo=UTC)),
    ("2024-03-13 10:15:30", datetime(2024, 3, 13, 10, 15, 30, tzinfo=UTC)),
    ("2024-03-13T10:15:30", datetime(2024, 3, 13, 10, 15, 30, tzinfo=UTC)),
    ("2024-03-13T10:15:30+02:00", datetime(2024, 3, 13, 8, 15, 30, tzinfo=UTC)),
    ("2024-03-13T10:15:30.5-0130", datetime(2024, 3, 13, 11, 45, 30, 500000, tzinfo=UTC)),
    ("2023-08-04T12:56:46.138+0000", datetime(2023, 8, 4, 12, 56, 46, 138000, tzinfo=UTC)),
    ("2016-12-31T23:59:60Z", datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)),
])
def test_rfc3339_text_becomes_utc(text: str, expected: datetime) -> None:
    parsed = parse_time(text)
    assert parsed == expected and _is_utc(parsed)


@pytest.mark.parametrize(("value", "expected"), [
    (datetime(2024, 3, 13, 10, 15, 30), datetime(2024, 3, 13, 10, 15, 30, tzinfo=UTC)),
    (datetime(2024, 3, 13, 10, 15, 30, tzinfo=UTC), datetime(2024, 3, 13, 10, 15, 30, tzinfo=UTC)),
    (datetime(2024, 3, 13, 10, 15, 30, tzinfo=timezone(timedelta(hours=-5))),
     datetime(2024, 3, 13, 15, 15, 30, tzinfo=UTC)),
])
def test_a_datetime_becomes_aware_utc_naive_read_as_utc(value: datetime,
                                                        expected: datetime) -> None:
    for parsed in (parse_time(value), utc(value), decode_time(value, "t", "time")):
        assert parsed == expected and _is_utc(parsed)  # type: ignore[arg-type]
        assert parsed.tzinfo is UTC  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["yesterday", "", "2024-02-30T10:15:30Z",
                                  "2024-13-01T00:00:00+00:00", "2024-03-13T10:15Z",
                                  "2024-03-13T10:15:30.Z", 17, None])
def test_anything_else_is_a_value_error(text: Any) -> None:
    with pytest.raises(ValueError):
        parse_time(text)


#: The shapes the fast path reads (UTC as ``Z`` or ``+00:00``: Google, CloudEvents,
#: AWS, the Azure Functions host's .NET ``DateTimeOffset``) beside ones it leaves to
#: the full parse, and invalid dates both paths must refuse.
SHAPES = [
    "2024-03-13T10:15:30+00:00", "2024-03-13T10:15:30.1+00:00",
    "2024-03-13T10:15:30.123+00:00", "2024-03-13T10:15:30.1234567+00:00",
    "2024-03-13T23:59:59.999999+00:00", "2024-02-29T00:00:00+00:00",
    "2023-02-29T00:00:00+00:00", "2024-13-01T00:00:00+00:00", "2024-03-13T10:15:30Z",
    "2021-11-25T21:56:00.653866570Z", "2024-03-13T10:15:30.5-05:00",
    "2024-03-13T10:15:60+00:00", "not a time", "",
]


def _read(value: str) -> Any:
    try:
        return decode_time(value, "azure.blob", "k")
    except EventDecodeError as exc:
        return str(exc)


@pytest.mark.parametrize("text", SHAPES)
def test_the_fast_path_gives_what_the_full_parse_gives(text: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _read(text)
    monkeypatch.setattr(rule, "_UTC", re.compile(r"(?!)"))  # every value to the full parse
    assert _read(text) == fast
    if isinstance(fast, datetime):
        assert _is_utc(fast)


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


def test_a_field_that_must_be_readable_names_its_key_never_its_value() -> None:
    assert decode_time(None, "t", "time") is None and decode_time("", "t", "time") is None
    assert decode_time("2024-03-13T10:15:30.1234567+01:00", "t", "time").isoformat() == (  # type: ignore[union-attr]
        "2024-03-13T09:15:30.123456+00:00")
    with pytest.raises(EventDecodeError) as caught:
        decode_time("13/03/2024 secret", "azure.queue", "insertion_time")
    assert caught.value.keys == ("insertion_time",) and "secret" not in str(caught.value)
    assert caught.value.trigger == "azure.queue"
    with pytest.raises(EventDecodeError):
        decode_time("", "t", "time", required=True)


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-05-01T10:00:00Z", datetime(2024, 5, 1, 10, tzinfo=UTC)),
    ("2024-05-01T12:00:00+02:00", datetime(2024, 5, 1, 10, tzinfo=UTC)),
    ("2024-05-01T10:00:00", datetime(2024, 5, 1, 10, tzinfo=UTC)),
    ("yesterday", None), ("", None), (None, None), (17, None),
])
def test_a_free_text_field_is_a_time_or_none(text: Any, expected: datetime | None) -> None:
    assert maybe_time(text) == expected


def test_epoch_numbers() -> None:
    assert epoch_ms("1710324930000") == epoch_seconds(1710324930) == datetime(
        2024, 3, 13, 10, 15, 30, tzinfo=UTC)
    assert epoch_ms(1710324930123) == datetime(2024, 3, 13, 10, 15, 30, 123000, tzinfo=UTC)
    assert epoch_ms(True) is None and epoch_seconds("soon") is None and epoch_ms(None) is None
    assert epoch_ms("") is None and epoch_seconds(10 ** 20) is None
