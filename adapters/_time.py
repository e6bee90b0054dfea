"""Timestamps as providers write them: one parser for every adapter.

RFC 3339 (https://www.rfc-editor.org/rfc/rfc3339#section-5.6), as CloudEvents,
Google and Azure write it, and the ISO 8601 variants AWS sends: an offset without
a colon (``+0000``, CloudWatch alarms) and none at all, read as UTC; and epoch
numbers (:func:`epoch_ms`, :func:`epoch_seconds`). :func:`decode_time` is the one
rule for a time field that must be readable: ``None`` when missing, else the time
or an :class:`~sdk.errors.EventDecodeError` naming the key.
``datetime.fromisoformat`` on Python 3.10 takes neither a ``Z`` suffix nor the
nanosecond fractions Google sends (``2021-11-25T21:56:00.653866570Z``).
"""

from __future__ import annotations

import re
import sys
from datetime import datetime, timedelta, timezone

__all__ = ["common_time", "decode_time", "epoch_ms", "epoch_seconds", "maybe_time",
           "parse_time", "utc"]

#: The shape most senders write, read by ``datetime.fromisoformat`` at a fifth of the
#: full parse's cost: UTC as ``Z`` (Google, CloudEvents, AWS) or ``+00:00`` (the
#: Azure Functions host: .NET's ``DateTimeOffset``, up to seven fraction digits),
#: ``T``, up to nine fraction digits (Google's nanoseconds), no 24:00, no leap
#: second. On exactly this shape ``fromisoformat`` agrees with the full parse,
#: invalid dates included (both raise ``ValueError``).
_UTC = re.compile(
    r"\d{4}-\d\d-\d\dT(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(?:Z|\+00:00)", re.ASCII
)
_RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?"
    r"(?:([Zz])|([+-])(\d\d):?(\d\d))?\Z"
)
#: Python 3.11's ``fromisoformat`` reads ``Z`` and any number of fraction digits
#: (beyond six truncated, as the full parse does); 3.10's neither.
_READS_RFC3339 = sys.version_info >= (3, 11)


def common_time(value: str) -> bool:
    """True for the common shape Google's 1st-gen events write (``_UTC`` with ``Z``
    and no fraction or 3 or 6 digits, ``2024-03-13T10:15:30.123Z``): ``parse_time``
    reads it on its fast path, failing only on a date the calendar lacks."""
    return value[-1:] == "Z" and len(value) in (20, 24, 27) and _UTC.fullmatch(value) is not None


def parse_time(value: object) -> datetime:
    """An aware UTC datetime from an RFC 3339 string (``T``, ``t`` or a space between
    date and time; ``Z``, ``z``, an offset with or without its colon, or none,
    read as UTC; an offset converted to UTC; fraction digits beyond microseconds
    dropped; a leap second read as second 59) or from a datetime (:func:`utc`);
    :class:`ValueError` for anything else."""
    if value.__class__ is str:
        match = _UTC.fullmatch(value)
        if match is not None:
            if _READS_RFC3339:
                return datetime.fromisoformat(value)
            fraction = match[1]  # six digits and +00:00 for Python 3.10
            return datetime.fromisoformat(
                f"{value[:19]}{(fraction + '00000')[:7] if fraction else ''}+00:00")
    elif isinstance(value, datetime):
        return utc(value)
    match = _RFC3339.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError("not an RFC 3339 timestamp")
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    if zulu or not sign:
        tz = timezone.utc
    else:
        offset = timedelta(hours=int(off_h), minutes=int(off_m))
        tz = timezone(-offset if sign == "-" else offset)
    # A leap second (:60) is read as the last representable instant of its minute.
    sec = min(int(second), 59)
    parsed = datetime(int(year), int(month), int(day), int(hour), int(minute), sec, micro,
                      tzinfo=tz)
    return parsed.astimezone(timezone.utc)


def utc(value: datetime) -> datetime:
    """A datetime as aware UTC: naive read as UTC (the Azure host sends some times
    without an offset: ``EnqueuedTimeUtc`` is a .NET ``DateTime`` of kind
    Unspecified holding UTC), an offset converted."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    if value.tzinfo is timezone.utc:
        return value
    return value.astimezone(timezone.utc)


def maybe_time(value: object) -> datetime | None:
    """:func:`parse_time`, or ``None`` for a missing or unreadable value (a field a
    provider sends as free text must not fail the whole event)."""
    if value is None or value == "":
        return None
    try:
        return parse_time(value)
    except ValueError:
        return None


def decode_time(value: object, trigger: str, key: str, *, required: bool = False
                ) -> datetime | None:
    """A time field that must be readable: ``None`` when missing or empty (unless
    ``required``), else :func:`parse_time`'s datetime, or :class:`EventDecodeError`
    naming ``key`` (never the value)."""
    if (value is None or value == "") and not required:
        return None
    try:
        return parse_time(value)
    except ValueError:
        from sdk.errors import EventDecodeError

        raise EventDecodeError(trigger, f"{key} is not an RFC 3339 timestamp",
                               keys=[key]) from None


def _epoch(value: object, scale: float) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)) or value == "":
        return None
    try:
        return datetime.fromtimestamp(float(value) / scale, tz=timezone.utc)
    except (ValueError, OverflowError, OSError):  # OSError: out of the platform's range
        return None


def epoch_ms(value: object) -> datetime | None:
    """An aware UTC datetime from epoch milliseconds (a number or numeric text);
    ``None`` for anything else."""
    return _epoch(value, 1000)


def epoch_seconds(value: object) -> datetime | None:
    """An aware UTC datetime from epoch seconds (Kinesis, DynamoDB Streams, Cosmos
    DB ``_ts``); ``None`` for anything else."""
    return _epoch(value, 1)
