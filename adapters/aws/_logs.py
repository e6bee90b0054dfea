"""CloudWatch Logs subscription filters: one event per log record.

https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html:
``awslogs.data`` is base64 of a compressed JSON document with ``messageType``,
``owner``, ``logGroup``, ``logStream``, ``subscriptionFilters``, ``logEvents[]``
(``id``, ``timestamp``, ``message``), and ``policyLevel`` when an account-level
subscription policy sent it. Log-group subscriptions gzip it; powertools'
account-level sample is zlib-compressed, so either header is accepted.

The handler sees what users subscribe for, the log records: ``data`` is the
``message`` (a dict when it is a JSON log line, else text), ``id`` and ``time``
the record's, ``source`` the log group, ``subject`` the log stream, ``type`` the
``messageType``; ``owner``, ``log_group``, ``log_stream``, ``subscription_filters``
(comma-joined) and ``policy_level`` are attributes. A ``list[Event]`` handler gets
the whole delivery at once. ``CONTROL_MESSAGE`` deliveries, CloudWatch Logs
checking that the destination is reachable, hold no user records and call no
handler. The decompression happens once per delivery, in ``decode``: ``matches``
only looks at keys.

The subscription invokes the function asynchronously: the return value is
ignored, and a failure makes Lambda retry the whole delivery.

The decompressed document is capped (:data:`DEFAULT_MAX_BYTES`, 16 MiB, or
``POLYFN_AWSLOGS_MAX_BYTES``) and decompressed in a stream that stops there: a few
hundred KiB of gzip can hold gigabytes (a "gzip bomb"), and the whole document
would be in memory before anything could look at it. A real delivery is far
below the cap: an asynchronous invocation carries at most 1 MB
(https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html), and
CloudWatch Logs batches at most 1 MiB of log events per delivery
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html);
JSON escaping and the envelope add little to that. Beyond the cap the delivery is
refused with :class:`EventDecodeError`.
"""

from __future__ import annotations

import binascii
import json
import zlib
from collections.abc import Callable
from typing import Any

from adapters._base64 import b64_bytes
from adapters._trigger import Trigger
from sdk import Context, Event, Function
from sdk.adapter import getenv
from sdk.errors import EventDecodeError

from ._native import epoch_ms, powertools
from ._spec import run_all

__all__ = ["DEFAULT_MAX_BYTES", "MAX_BYTES_ENV", "CloudWatchLogs", "decompress"]

#: The most ``awslogs.data`` may decompress to, by default (see the module docstring).
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
#: The environment variable that sets another cap, in bytes.
MAX_BYTES_ENV = "POLYFN_AWSLOGS_MAX_BYTES"
#: Decompressed bytes produced per step of the stream.
_CHUNK = 256 * 1024

#: wbits accepting a gzip or a zlib header (https://docs.python.org/3/library/zlib.html)
_GZIP_OR_ZLIB = 32 + zlib.MAX_WBITS
_DATA = "awslogs.data"
#: how ``awslogs.data`` is unpacked, and what is wrong when a step fails
_UNPACK: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("is not base64", b64_bytes),
    ("is not gzip or zlib compressed", lambda packed: decompress(packed, max_bytes())),
    ("does not hold JSON", json.loads),
)
#: envelope fields kept as attributes (spelling -> attribute name)
_ATTRIBUTES = (("owner", "owner"), ("logGroup", "log_group"), ("logStream", "log_stream"),
               ("policyLevel", "policy_level"))


class CloudWatchLogs(Trigger):
    """A CloudWatch Logs subscription delivery (see the module docstring)."""

    name = "aws.cloudwatch.logs"
    semantics = ("Invoked asynchronously: the return value is ignored; an exception "
                 "makes Lambda retry the whole delivery.")

    def matches(self, raw: Any) -> bool:
        return isinstance(raw, dict) and isinstance(raw.get("awslogs"), dict)

    def decode(self, raw: Any, context: Context | None = None) -> list[Event[Any]]:
        document = self.document(raw)
        if document.get("messageType") == "CONTROL_MESSAGE":
            return []
        records = document.get("logEvents")
        if not isinstance(records, list) or not all(
                isinstance(r, dict) and isinstance(r.get("message"), str) for r in records):
            raise EventDecodeError(self.name, "logEvents must be a list of records with a "
                                   "message", keys=[_DATA + ".logEvents"])
        attributes = _attributes(document)
        native = powertools("CloudWatchLogsEvent", raw)
        return [Event(
            provider="aws", trigger=self.name, id=_str(record.get("id")),
            source=attributes.get("log_group"), type=_str(document.get("messageType")),
            subject=attributes.get("log_stream"), time=epoch_ms(record.get("timestamp")),
            payload=record["message"], attributes=attributes, raw=raw, native=native,
        ) for record in records]

    def document(self, raw: Any) -> dict[str, Any]:
        """The decoded delivery (envelope and ``logEvents``), as CloudWatch Logs wrote it."""
        data = raw["awslogs"].get("data")
        if not isinstance(data, str):
            raise EventDecodeError(self.name, "data must be a base64 string", keys=[_DATA])
        document: Any = data
        for problem, step in _UNPACK:
            try:
                document = step(document)
            except _TooLarge as exc:
                raise EventDecodeError(self.name, f"data decompresses to more than {exc} "
                                       f"bytes (the cap: {MAX_BYTES_ENV})", keys=[_DATA]) from None
            except (binascii.Error, zlib.error, ValueError, RecursionError):
                raise EventDecodeError(self.name, f"data {problem}", keys=[_DATA]) from None
        if not isinstance(document, dict):
            raise EventDecodeError(self.name, "data must hold a JSON object", keys=[_DATA])
        return document

    def invoke(self, fn: Function[Any], raw: Any, context: Context, **options: Any) -> Any:
        events = self.decoded(raw, context)
        if events:
            run_all(fn, events, context, self.name)
        return None


class _TooLarge(Exception):
    """The decompressed data passed the cap (the message is the cap)."""


def max_bytes() -> int:
    """The cap: ``POLYFN_AWSLOGS_MAX_BYTES`` when set to a positive integer, else
    :data:`DEFAULT_MAX_BYTES` (read per delivery, so it can change while running)."""
    text = getenv(MAX_BYTES_ENV)
    if text and text.strip().isdecimal() and int(text) > 0:
        return int(text)
    return DEFAULT_MAX_BYTES


def decompress(packed: bytes, limit: int) -> bytes:
    """``packed`` (gzip or zlib) decompressed, in steps of at most ``_CHUNK`` bytes;
    :class:`_TooLarge` as soon as the output passes ``limit`` bytes, so memory stays
    within the cap whatever the compression ratio; ``zlib.error`` when ``packed``
    is not a complete gzip or zlib stream."""
    stream = zlib.decompressobj(_GZIP_OR_ZLIB)
    parts: list[bytes] = []
    size = 0
    data = packed
    while not stream.eof:
        part = stream.decompress(data, _CHUNK)
        size += len(part)
        if size > limit:
            raise _TooLarge(str(limit))
        parts.append(part)
        data = stream.unconsumed_tail
        if not part and not data:  # no input left and nothing more comes out
            raise zlib.error("incomplete or truncated stream")
    return b"".join(parts)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _attributes(document: dict[str, Any]) -> dict[str, str]:
    out = {name: document[key] for key, name in _ATTRIBUTES
           if isinstance(document.get(key), str) and document[key]}
    filters = document.get("subscriptionFilters")
    if isinstance(filters, list) and filters:
        out["subscription_filters"] = ",".join(str(f) for f in filters)
    return out
