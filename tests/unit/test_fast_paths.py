"""The per-record and failure-line fast paths keep the behaviour of what they replaced.

* ``Logger.exception`` formats the stack itself, one ``path:line in function`` per
  frame, and only when the line is written.
* The kinds pass Event's attributes on positionally with the same defaults
  (``Change``'s ``data`` rule).
* ``LazyRecord`` decodes like ``Record(key, lazy(...))``; ``BatchOutcome.of`` agrees
  with the outcomes it materialises on demand.
* A failing batch leaves no reference cycle behind (the batch is freed when the
  invocation returns, not when the garbage collector next runs).
"""

from __future__ import annotations

import gc
import io
import json
import sys
from typing import Any, Literal

import pytest
from pydantic import BaseModel

import sdk
import sdk._log
from adapters._batch import LazyRecord, lazy
from sdk import Change, EventDecodeError, Message
from sdk._batch import Record
from sdk._records import SKIPPED, BatchOutcome, RecordOutcome


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


# -- the failure line ---------------------------------------------------------------
def _inner() -> None:
    raise ValueError("inner")


def _outer() -> None:
    try:
        _inner()
    except ValueError as exc:
        raise KeyError("outer") from exc


def test_stack_is_one_line_per_frame_then_the_exception() -> None:
    try:
        _inner()
    except ValueError as exc:
        stack = sdk._log.stack(exc)
    assert stack[-1] == "ValueError: inner"
    assert stack[-2] == f"{__file__}:{_inner.__code__.co_firstlineno + 1} in _inner"
    assert stack[0].startswith(f"{__file__}:") and stack[0].endswith(
        " in test_stack_is_one_line_per_frame_then_the_exception")


def test_stack_shows_chained_exceptions_first_as_python_does() -> None:
    try:
        _outer()
    except KeyError as exc:
        stack = sdk._log.stack(exc)
    cause = stack.index("ValueError: inner")
    assert stack[cause + 1] == sdk._log._CAUSE
    assert stack[-1] == "KeyError: 'outer'"
    assert any(line.endswith(" in _outer") for line in stack[cause + 2:])

    empty: dict[str, int] = {}
    try:
        try:
            _inner()
        except ValueError:
            empty["missing"]  # raises while handling the ValueError
    except KeyError as exc:
        stack = sdk._log.stack(exc)
    assert stack[stack.index("ValueError: inner") + 1] == sdk._log._CONTEXT


def test_stack_names_the_module_of_non_builtin_exceptions_and_survives_a_loop() -> None:
    error = EventDecodeError("aws.sqs", "bad")
    other = ValueError("x")
    error.__cause__, other.__cause__ = other, error  # a cycle cannot hang the logger
    stack = sdk._log.stack(error)
    assert stack[-1].startswith("sdk.errors.EventDecodeError: ")
    assert len(stack) == 3  # ValueError, the link, EventDecodeError


def test_exception_line_has_type_message_and_stack(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        _inner()
    except ValueError as exc:
        sdk.Logger("aws", "r-1").exception("handler failed", exc, trigger="t")
    (line,) = _lines(capsys.readouterr().out)
    assert (line["level"], line["requestId"], line["error_type"], line["error_message"],
            line["trigger"]) == ("ERROR", "r-1", "ValueError", "inner", "t")
    assert line["stack"][-1] == "ValueError: inner"
    assert line["timestamp"].endswith("Z") and len(line["timestamp"]) == 24


def test_exception_below_the_level_formats_nothing(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    def fail(exc: BaseException) -> list[str]:
        raise AssertionError("stack formatted for a dropped line")

    monkeypatch.setattr(sdk._log, "stack", fail)
    monkeypatch.setattr(sdk.Logger, "level", 50)
    sdk.Logger("aws", "r-1").exception("handler failed", ValueError("x"))
    assert capsys.readouterr().out == ""


def test_timestamps_within_one_second_share_the_cached_part() -> None:
    first, second = sdk._log._now(), sdk._log._now()
    assert first[:19] == second[:19] or first[:19] < second[:19]
    assert first[19] == "." and first.endswith("Z")


# -- building events ----------------------------------------------------------------
@pytest.mark.parametrize(("given", "data"), [
    ({}, {"n": 2}),                          # data is new...
    ({"payload": None}, None),               # ...unless a payload is given, even None
    ({"payload": b'{"x": 1}'}, {"x": 1}),
    ({"data": None}, None),                  # ...or data is
    ({"data": {"d": 1}}, {"d": 1}),
])
def test_change_data_defaults_to_new_unless_data_or_payload_is_given(
        given: dict[str, Any], data: Any) -> None:
    change: Change[Any] = Change(operation="update", old={"o": 1}, new={"n": 2},
                                 provider="aws", trigger="t", **given)
    assert change.data == data
    deleted: Change[Any] = Change(operation="delete", old={"o": 1}, provider="aws", trigger="t")
    assert deleted.data == {"o": 1}


# -- records and outcomes -----------------------------------------------------------
def _build(item: dict[str, Any]) -> list[sdk.Event[Any]]:
    return [Message(provider="aws", trigger="t", id=item["id"])]


def test_lazy_record_decodes_once_and_fails_like_lazy() -> None:
    calls: list[Any] = []

    def build(item: dict[str, Any]) -> list[sdk.Event[Any]]:
        calls.append(item)
        return _build(item)

    record = LazyRecord("k", "aws.t", build, {"id": "m"}, "g")
    assert record.events() is record.events() and len(calls) == 1
    assert (record.key, record.group, record.label) == ("k", "g", "k")

    for malformed in (LazyRecord("k", "aws.t", _build, {"other": 1}),
                      Record("k", lazy("aws.t", _build, {"other": 1}))):
        with pytest.raises(EventDecodeError) as caught:
            malformed.events()
        assert "malformed record (KeyError)" in str(caught.value)
        assert caught.value.keys == ("other",)


def test_record_label_defaults_to_the_key() -> None:
    assert Record(7, []).label == "7" and Record(None, []).label is None
    assert Record(7, [], label="seven").label == "seven"


def test_outcome_of_the_runner_agrees_with_its_outcomes() -> None:
    records = [Record(f"k{n}", []) for n in range(4)]
    error = ValueError("x")
    outcome = BatchOutcome.of(records, [None, error, SKIPPED, None])
    assert [o.record.key for o in outcome.failed] == ["k1", "k2"]
    assert len(outcome) == 4 and not outcome.all_failed and outcome.first_error is error
    states = [(o.ok, o.skipped, o.error) for o in outcome.outcomes]
    assert states == [(True, False, None), (False, False, error), (False, True, None),
                      (True, False, None)]
    assert outcome.failed[0] is outcome.outcomes[1]  # one object per record
    same = BatchOutcome([RecordOutcome(r, e) for r, e in zip(records, [None, error, None, None],
                                                                strict=True)])
    assert [o.record.key for o in same.failed] == ["k1"] and same.first_error is error
    assert BatchOutcome.of(records[:1], [error]).all_failed


# -- no reference cycles ------------------------------------------------------------
def _sqs_event() -> dict[str, Any]:
    return {"Records": [
        {"messageId": f"id-{n}", "receiptHandle": "h", "body": json.dumps({"fail": n == 1}),
         "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1710324930000"},
         "messageAttributes": {}, "eventSource": "aws:sqs",
         "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:orders", "awsRegion": "eu-west-1"}
        for n in range(3)
    ]}


class Accepted(BaseModel):
    fail: Literal[False]


def _run_failing_batches() -> list[Any]:
    import adapters.aws

    def handle(message: Message[Any]) -> None:
        if message.data["fail"]:
            raise ValueError("rejected")

    @sdk.function
    def handle_all(messages: list[Message[Any]]) -> list[Message[Any]]:
        return [m for m in messages if m.data["fail"]]

    @sdk.function
    def handle_valid(messages: list[Message[Accepted]]) -> None:
        return None  # the failing record never validates

    return [adapters.aws.lambda_handler(h)(_sqs_event(), None)
            for h in (handle, handle_all, handle_valid)]


def test_a_failing_batch_leaves_no_reference_cycle() -> None:
    out, sys.stdout = sys.stdout, io.StringIO()  # the failure lines
    enabled = gc.isenabled()
    try:
        _run_failing_batches()  # first-use imports and caches
        gc.collect()
        gc.disable()
        results = _run_failing_batches()
        leaked = gc.collect()
    finally:
        if enabled:
            gc.enable()
        sys.stdout = out
    assert results == [{"batchItemFailures": [{"itemIdentifier": "id-1"}]}] * 3
    assert leaked == 0


@pytest.mark.parametrize("key", ["", "plain.json", "order+1001.json", "a++b", "+", "a%20b+c",
                                 "%2B+%", "caf%C3%A9+x", "%zz+", "é+ü", "100%"])
def test_form_decoded_is_unquote_plus(key: str) -> None:
    from urllib.parse import unquote_plus

    from adapters._http import form_decoded

    assert form_decoded(key) == unquote_plus(key)
