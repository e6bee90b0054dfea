"""``sdk._jsonform.loads`` / ``dumps`` call json's C scanner and encoder directly for
speed; they must answer exactly as ``json.loads`` and the compact ``JSONEncoder`` do:
the same values, the same text, and an error exactly where json raises one."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdk._jsonform import dumps, loads

_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=8))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=4)),
    max_leaves=12)
spaces = st.text(alphabet=" \t\r\n", max_size=3)


def _same(a: Any, b: Any) -> bool:
    """Equality where NaN equals NaN (json round-trips it)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _outcome(parse: Any, text: str | bytes) -> tuple[str, Any]:
    try:
        return "value", parse(text)
    except ValueError as exc:
        return "error", str(exc)


@settings(max_examples=400, deadline=None)
@given(values, spaces, spaces, st.booleans())
def test_loads_is_json_loads(value: Any, before: str, after: str, as_bytes: bool) -> None:
    text = before + json.dumps(value) + after
    doc: str | bytes = text.encode("utf-8") if as_bytes else text
    ours, theirs = _outcome(loads, doc), _outcome(json.loads, doc)
    assert ours[0] == theirs[0] == "value"
    assert _same(ours[1], theirs[1])


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=12),
                 st.text(alphabet='{}[]",:0123456789 .-eEnulltrufas\\', max_size=12)),
       st.booleans())
def test_loads_fails_where_json_fails(text: str, as_bytes: bool) -> None:
    doc: str | bytes = text.encode("utf-8", "surrogatepass") if as_bytes else text
    ours, theirs = _outcome(loads, doc), _outcome(json.loads, doc)
    assert ours[0] == theirs[0]
    if ours[0] == "error":
        assert ours[1] == theirs[1]  # the same message, position included
    else:
        assert _same(ours[1], theirs[1])


def test_loads_other_encodings_and_types() -> None:
    for doc in ('{"a": 1}'.encode("utf-16"), '[1]'.encode("utf-8-sig"), bytearray(b'{"a":1}')):
        assert loads(doc) == json.loads(doc)


@settings(max_examples=400, deadline=None)
@given(values)
def test_dumps_is_the_compact_encoder(value: Any) -> None:
    assert dumps(value) == _ENCODE(value)


def test_dumps_errors_are_json_errors() -> None:
    cycle: list[Any] = []
    cycle.append(cycle)
    for bad in (cycle, {"x": object()}, [{1j: 1}]):
        try:
            _ENCODE(bad)
        except (TypeError, ValueError) as exc:
            expected: Any = type(exc)
        try:
            dumps(bad)
        except (TypeError, ValueError) as exc:
            assert type(exc) is expected
        else:
            raise AssertionError(f"dumps accepted {bad!r}")


def test_an_encoder_that_raised_is_not_kept() -> None:
    """json's C encoder keeps every container it is inside in its circular-reference
    record and, when it raises, leaves them there: an encoder kept for reuse after
    an error would hold those values alive for good (and the next call's record
    would not start empty)."""
    import weakref

    class Box(dict):  # type: ignore[type-arg]  # a dict that can be weakly referenced
        pass

    box = Box(x=[object()])  # object(): not JSON, so the encoder raises inside box
    ref = weakref.ref(box)
    with pytest.raises(TypeError):
        dumps([box])
    del box
    assert ref() is None
    fresh = [[{"x": [1]}] for _ in range(5)]
    assert dumps(fresh) == _ENCODE(fresh)


def test_dumps_from_many_threads_at_once() -> None:
    import threading

    shared = {"a": [1, 2, {"b": "c"}], "d": "é"}
    expected = _ENCODE(shared)
    failures: list[str] = []

    def work() -> None:
        for _ in range(300):
            text = dumps(shared)
            if text != expected:
                failures.append(text)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
