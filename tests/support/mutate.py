"""Mutating provider payloads: the bad input a fuzz test feeds every entry point.

:func:`mutate` takes a JSON-like payload and a :class:`random.Random` and returns a
changed deep copy, a few of these edits applied at random places:

* a wrong type where the payload had another (list, int, ``None``, str, bool,
  an object) at any depth, an object turned into a list and back;
* huge numbers where times, sizes and counters are (``1e400`` is ``inf`` once
  parsed, ``10**400``, NaN, negative values);
* lone surrogates (``"\\ud800"``) and NUL bytes in keys and string values;
* header values that are ``[]``, nested lists or objects, NUL in header names;
* strings that are not base64 (or base64 of bytes that are not UTF-8 or not gzip)
  where base64 is expected;
* JSON nested 5,000 deep; a long string where a list is expected;
* keys deleted or added (from the keys providers send).

Every string value that is replaced may carry :data:`MARKER`, a value that no
error message or log line may repeat (errors name keys, never values).

The same (payload, seed) always gives the same mutation: a failure names the seed,
and ``mutate(payload, random.Random(seed))`` replays it.
"""

from __future__ import annotations

import base64
import copy
import gzip
import pickle
import random
from collections.abc import Callable
from typing import Any

__all__ = ["DEEP", "KEYS", "MARKER", "Path", "deep", "mutate", "nodes"]

#: A value planted in payloads; it must never appear in an error's text.
MARKER = "s3cr3t-Mk7q-payload-value"
#: How deep :func:`deep` nests (Python's recursion limit is 1,000).
DEEP = 5_000

Path = tuple[Any, ...]

#: Keys providers send, so that added keys make predicates fire.
KEYS = (
    "Records", "records", "eventSource", "eventSourceARN", "eventSourceArn", "body", "httpMethod",
    "version", "rawPath", "rawQueryString", "requestContext", "headers", "multiValueHeaders",
    "isBase64Encoded", "queryStringParameters", "multiValueQueryStringParameters", "cookies",
    "detail-type", "detail", "source", "awslogs", "data", "messageId", "Sns", "s3", "dynamodb",
    "kinesis", "Type", "Message", "eventType", "context", "resource", "specversion", "specVersion",
    "type", "id", "message", "subscription", "eventName", "bucket", "object", "key", "value",
    "elb", "http", "method", "path", "time", "timestamp", "eventTime", "size", "attributes",
    "messageAttributes", "data_base64", "datacontenttype", "deliveryStreamArn", "recordId",
    "kafkaRecordValue", "messages", "rmqMessagesByQueue", "NewImage", "Keys", "SequenceNumber",
    "approximateArrivalTimestamp", "partition", "offset", "topic", "publishTime",
)

_HUGE: tuple[Any, ...] = (float("inf"), float("-inf"), float("nan"), 10**400, -(10**400),
                          1.7e308, -1, 2**63, 2**64 + 1, 10**20)
_SCALARS: tuple[Any, ...] = (None, True, False, 0, -1, 1.5, "", "x", MARKER, "\ud800", "\x00",
                             [], {}, [MARKER], {"k": MARKER})
_NUMERIC_HINTS = ("time", "size", "count", "offset", "length", "partition", "sequence",
                  "timestamp", "epoch", "attempt", "version", "port")
_B64_HINTS = ("data", "body", "value", "key", "base64", "kafkarecordvalue")
_HEADER_HINTS = ("header", "properties", "attributes")


def _bad_base64(rng: random.Random) -> str:
    choices = (
        "!!" + MARKER + "!!",  # not the alphabet
        "abc",  # bad padding
        "a===",
        base64.b64encode(b"\xff\xfe\x00" + MARKER.encode()).decode(),  # not UTF-8
        base64.b64encode(b"\x1f\x8b\x08\x00garbage" + MARKER.encode()).decode(),  # broken gzip
        base64.b64encode(gzip.compress(b"{" + MARKER.encode())).decode(),  # gzip, not JSON
        base64.b64encode(gzip.compress(b"[1, 2")).decode(),
        "\ud800" + MARKER,
        MARKER + "\x00",
    )
    return rng.choice(choices)


def deep(kind: str = "list", depth: int = DEEP) -> Any:
    """A value nested ``depth`` levels deep (built without recursion)."""
    value: Any = MARKER
    for _ in range(depth):
        value = [value] if kind == "list" else {"a": value}
    return value


def nodes(value: Any, limit: int = 2_000, depth: int = 24) -> list[tuple[Path, Any]]:
    """(path, value) of the nodes, parents first, down to ``depth`` levels (payloads
    may be nested 5,000 deep: iterative, and no path longer than ``depth``)."""
    found: list[tuple[Path, Any]] = []
    stack: list[tuple[Path, Any]] = [((), value)]
    while stack and len(found) < limit:
        where, node = stack.pop()
        found.append((where, node))
        if len(where) >= depth:
            continue
        if isinstance(node, dict):
            stack.extend(((*where, k), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend(((*where, i), v) for i, v in enumerate(node[:50]))
    return found


def _set(root: Any, path: Path, value: Any) -> Any:
    if not path:
        return value
    parent = root
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return root


def _key_of(path: Path) -> str:
    for step in reversed(path):
        if isinstance(step, str):
            return step.lower()
    return ""


def _wrong_type(rng: random.Random, path: Path, value: Any) -> Any:
    key = _key_of(path)
    if any(h in key for h in _NUMERIC_HINTS) and rng.random() < 0.6:
        huge = rng.choice(_HUGE)
        return str(huge) if rng.random() < 0.3 and not isinstance(huge, float) else huge
    if isinstance(value, dict) and value and rng.random() < 0.3:
        return list(value.values())
    if isinstance(value, list) and rng.random() < 0.3:
        return "ab" * rng.choice((1, 50, 2_000)) if rng.random() < 0.5 else {
            str(i): v for i, v in enumerate(value)}
    return copy.deepcopy(rng.choice(_SCALARS))


def _string_edit(rng: random.Random, path: Path, value: Any) -> Any:
    if not isinstance(value, str):
        return _wrong_type(rng, path, value)
    key = _key_of(path)
    if any(h in key for h in _B64_HINTS) and rng.random() < 0.6:
        return _bad_base64(rng)
    insert = rng.choice(("\ud800", "\x00", "\udfff", MARKER, "\ud800" + MARKER, "%", "%ZZ"))
    at = rng.randint(0, len(value))
    return value[:at] + insert + value[at:]


def _header_edit(rng: random.Random, path: Path, value: Any) -> Any:
    if not isinstance(value, dict):
        return _wrong_type(rng, path, value)
    out = dict(value)
    name = rng.choice(list(out)) if out and rng.random() < 0.7 else rng.choice(
        ("x-marker", "content-type", "ce-specversion", "ce-time", "set-cookie", "Cookie"))
    bad = rng.choice(([], [[MARKER]], [MARKER, [1]], {"v": MARKER}, None, 10**400,
                      MARKER + "\x00", "\ud800", [None], [""], ""))
    if rng.random() < 0.25:
        out[name + rng.choice(("\x00", "\ud800", " ", ":"))] = MARKER
    else:
        out[name] = bad
    return out


def _delete(rng: random.Random, path: Path, value: Any) -> Any:
    if isinstance(value, dict) and value:
        out = dict(value)
        del out[rng.choice(list(out))]
        return out
    if isinstance(value, list) and value:
        return value[1:] if rng.random() < 0.5 else value[:-1]
    return _wrong_type(rng, path, value)


def _add(rng: random.Random, path: Path, value: Any) -> Any:
    if isinstance(value, dict):
        out = dict(value)
        out[rng.choice((*KEYS, "\ud800", "\x00", "k\ud800"))] = copy.deepcopy(
            rng.choice(_SCALARS + _HUGE))
        return out
    if isinstance(value, list):
        return [*value, copy.deepcopy(rng.choice(_SCALARS))]
    return _wrong_type(rng, path, value)


def _nest(rng: random.Random, path: Path, value: Any) -> Any:
    """5,000 deep: as a value, or as JSON text where a body or data string was."""
    if isinstance(value, str) and rng.random() < 0.6:
        text = "[" * DEEP + "]" * DEEP if rng.random() < 0.5 else '{"a":' * DEEP + "1" + (
            "}" * DEEP)
        return base64.b64encode(text.encode()).decode() if rng.random() < 0.3 else text
    return deep(rng.choice(("list", "dict")))


_EDITS: tuple[tuple[float, Callable[[random.Random, Path, Any], Any]], ...] = (
    (0.35, _wrong_type), (0.2, _string_edit), (0.12, _header_edit), (0.13, _delete),
    (0.13, _add), (0.03, _nest),
)


def _pick_edit(rng: random.Random, path: Path) -> Callable[[random.Random, Path, Any], Any]:
    key = _key_of(path)
    if any(h in key for h in _HEADER_HINTS) and rng.random() < 0.5:
        return _header_edit
    roll = rng.random() * sum(w for w, _ in _EDITS)
    for weight, edit in _EDITS:
        roll -= weight
        if roll <= 0:
            return edit
    return _EDITS[-1][1]


def _is_identifier(path: Path) -> bool:
    """Ids are echoed on purpose (a batch answer names the failed event ids, a 500
    the request id to look up): the marker goes in other values."""
    key = _key_of(path)
    return key.endswith("id") or key in ("subject", "source")


def _unmarked(value: Any, depth: int = 12) -> Any:
    """``value`` without the marker, to ``depth`` levels (deeper stays as it is: a
    value nested that deep under an id is never quoted whole)."""
    if isinstance(value, str):
        return value.replace(MARKER, "planted-id")
    if depth <= 0:
        return value
    if isinstance(value, list):
        return [_unmarked(v, depth - 1) for v in value[:10]]
    if isinstance(value, dict):
        return {k: _unmarked(v, depth - 1) for k, v in list(value.items())[:10]}
    return value


def mutate(payload: Any, rng: random.Random, edits: int | None = None) -> Any:
    """A mutated deep copy of ``payload`` (see the module docstring)."""
    out = pickle.loads(pickle.dumps(payload))  # a deep copy, faster than copy.deepcopy
    for _ in range(edits if edits is not None else rng.choice((1, 1, 1, 2, 2, 3))):
        found = nodes(out)
        # Deeper nodes are where shape checks are missing: weigh them up.
        path, value = found[min(len(found) - 1, int(len(found) * rng.random() ** 0.7))]
        out = _set(out, path, _pick_edit(rng, path)(rng, path, value))
    for path, value in nodes(out):  # wherever an edit put the marker under an id key
        if path and _is_identifier(path):
            out = _set(out, path, _unmarked(value))
    return out
