"""The provider-neutral batch runner (sdk._batch): every record handled or failed."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Hashable
from typing import Any

import pytest
from pydantic import BaseModel

import sdk
from sdk import Context, DataValidationError, EventDecodeError, Message, ResponseEncodeError
from sdk._batch import Record, ReportedFailure, run_batch


class Boom(Exception):
    pass


class Order(BaseModel):
    id: int


def ctx() -> Context:
    return Context(provider="local", request_id="req-1")


def message(n: int, payload: str | None = None) -> Message[Any]:
    return Message(provider="local", trigger="test.queue", id=f"m{n}",
                   payload=payload if payload is not None else json.dumps({"id": n}))


def records(count: int, group: Hashable | None = None) -> list[Record]:
    return [Record(f"k{n}", [message(n)], group=group) for n in range(count)]


def failing_on(bad: set[str], seen: list[str]) -> Any:
    @sdk.function
    def handle(event: Message[Any]) -> None:
        seen.append(event.id or "")
        if event.id in bad:
            raise Boom(event.id)

    return handle


def states(outcome: Any) -> list[str]:
    return ["ok" if o.ok else "skipped" if o.skipped else type(o.error).__name__
            for o in outcome.outcomes]


# -- one record per call ------------------------------------------------------------
def test_sync_runs_every_record_in_order_and_collects_failures() -> None:
    seen: list[str] = []
    outcome = run_batch(failing_on({"m1", "m3"}, seen), records(5), ctx(), trigger="t")
    assert seen == ["m0", "m1", "m2", "m3", "m4"]
    assert states(outcome) == ["ok", "Boom", "ok", "Boom", "ok"]
    assert [o.record.key for o in outcome.failed] == ["k1", "k3"]
    assert not outcome.all_failed and isinstance(outcome.first_error, Boom)


def test_every_record_failing_is_all_failed() -> None:
    outcome = run_batch(failing_on({"m0", "m1"}, []), records(2), ctx(), trigger="t")
    assert outcome.all_failed and len(outcome.failed) == 2


def test_an_ordered_group_stops_at_its_first_failure_and_others_go_on() -> None:
    seen: list[str] = []
    batch = [Record("a0", [message(0)], group="a"), Record("b1", [message(1)], group="b"),
             Record("a2", [message(2)], group="a"), Record("x3", [message(3)]),
             Record("b4", [message(4)], group="b"), Record("a5", [message(5)], group="a")]
    outcome = run_batch(failing_on({"m0"}, seen), batch, ctx(), trigger="t")
    assert seen == ["m0", "m1", "m3", "m4"]  # a2 and a5 never handled
    assert states(outcome) == ["Boom", "ok", "skipped", "ok", "ok", "skipped"]
    assert [o.record.key for o in outcome.failed] == ["a0", "a2", "a5"]


def test_a_malformed_record_fails_alone_when_it_is_decoded() -> None:
    def broken() -> list[Any]:
        raise EventDecodeError("test.queue", "malformed record", keys=["body"])

    batch = [Record("k0", [message(0)]), Record("k1", broken), Record("k2", [message(2)])]
    seen: list[str] = []
    outcome = run_batch(failing_on(set(), seen), batch, ctx(), trigger="t")
    assert seen == ["m0", "m2"]
    assert states(outcome) == ["ok", "EventDecodeError", "ok"]


def test_a_data_validation_error_fails_that_record_only() -> None:
    @sdk.function
    def handle(event: Message[Order]) -> int:
        return event.data.id

    batch = [Record("k0", [message(0)]), Record("k1", [message(1, '{"id": "x"}')]),
             Record("k2", [message(2)])]
    outcome = run_batch(handle, batch, ctx(), trigger="t")
    assert states(outcome) == ["ok", "DataValidationError", "ok"]
    error = outcome.failed[0].error
    assert isinstance(error, DataValidationError) and error.keys == ("id",)


def test_a_record_of_several_events_fails_when_any_fails_and_stops_there() -> None:
    seen: list[str] = []
    batch = [Record("k0", [message(0), message(1), message(2)]), Record("k1", [message(3)])]
    outcome = run_batch(failing_on({"m1"}, seen), batch, ctx(), trigger="t")
    assert seen == ["m0", "m1", "m3"]
    assert states(outcome) == ["Boom", "ok"]


def test_failures_are_logged_with_type_and_record_never_the_payload(
        capsys: pytest.CaptureFixture[str]) -> None:
    batch = [Record("k0", [message(0, '{"secret": "hunter2"}')])]

    @sdk.function
    def handle(event: Message[Any]) -> None:
        raise Boom("failed")

    run_batch(handle, batch, ctx(), trigger="test.queue")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(x["error_type"], x["record"], x["trigger"]) for x in lines] == [
        ("Boom", "k0", "test.queue")]
    assert "hunter2" not in json.dumps(lines)


def _decode_fails() -> list[Any]:
    raise EventDecodeError("test.queue", "no body")


def test_a_record_without_key_is_named_by_its_event_id_else_its_position(
        capsys: pytest.CaptureFixture[str]) -> None:
    batch = [Record(None, lambda: [message(0)], position="test.queue[0]"),
             Record(None, _decode_fails, position="test.queue[1]"),
             Record("k2", [message(2)], position="test.queue[2]"),  # a key still wins
             Record(None, [message(3)], label="given", position="test.queue[3]")]

    @sdk.function
    def handle(event: Message[Any]) -> None:
        raise Boom("failed")

    run_batch(handle, batch, ctx(), trigger="test.queue")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [x["record"] for x in lines] == ["m0", "test.queue[1]", "k2", "given"]


def test_a_record_of_events_without_ids_falls_back_to_its_position() -> None:
    anonymous = Message(provider="local", trigger="test.queue", id=None, payload="{}")
    assert Record(None, [anonymous], position="test.queue[4]").label == "test.queue[4]"
    assert Record(None, [message(5), message(6)]).label == "m5,m6"
    assert Record(None, [anonymous]).label is None


# -- async handlers: concurrent, bounded, same outcome --------------------------------
class Probe:
    """Counts handler calls in flight."""

    def __init__(self) -> None:
        self.now = 0
        self.peak = 0
        self.order: list[str] = []

    def handler(self, bad: set[str], group_of: dict[str, str] | None = None) -> Any:
        busy_groups: set[str] = set()

        @sdk.function
        async def handle(event: Message[Any]) -> None:
            group = (group_of or {}).get(event.id or "")
            assert group is None or group not in busy_groups, "a group ran out of order"
            if group:
                busy_groups.add(group)
            self.now += 1
            self.peak = max(self.peak, self.now)
            await asyncio.sleep(0.002)
            self.now -= 1
            self.order.append(event.id or "")
            if group:
                busy_groups.discard(group)
            if event.id in bad:
                raise Boom(event.id)

        return handle


@pytest.mark.parametrize(("count", "bound", "peak"), [(20, 4, 4), (3, 10, 3), (5, 1, 1)])
def test_async_records_run_concurrently_within_the_bound(count: int, bound: int,
                                                         peak: int) -> None:
    probe = Probe()
    outcome = run_batch(probe.handler(set()), records(count), ctx(), trigger="t",
                        concurrency=bound)
    assert probe.peak == peak
    assert len(probe.order) == count and all(o.ok for o in outcome.outcomes)


def test_async_outcome_is_the_sequential_outcome() -> None:
    bad = {"m1", "m4", "m5"}
    sync = run_batch(failing_on(bad, []), records(8), ctx(), trigger="t")
    concurrent = run_batch(Probe().handler(bad), records(8), ctx(), trigger="t", concurrency=3)
    assert states(concurrent) == states(sync)
    assert [str(o.error) for o in concurrent.outcomes] == [str(o.error) for o in sync.outcomes]


def test_async_ordered_groups_run_in_order_side_by_side_and_stop_at_a_failure() -> None:
    group_of = {f"m{n}": "ab"[n % 2] for n in range(8)}
    batch = [Record(f"k{n}", [message(n)], group=group_of[f"m{n}"]) for n in range(8)]
    probe = Probe()
    outcome = run_batch(probe.handler({"m2"}, group_of), batch, ctx(), trigger="t",
                        concurrency=8)
    assert probe.peak == 2  # one record per group at a time, both groups at once
    assert [x for x in probe.order if group_of[x] == "a"] == ["m0", "m2"]
    assert [x for x in probe.order if group_of[x] == "b"] == ["m1", "m3", "m5", "m7"]
    assert states(outcome) == ["ok", "ok", "Boom", "ok", "skipped", "ok", "skipped", "ok"]


def test_async_handler_in_a_running_loop_is_a_configuration_error() -> None:
    async def inside() -> None:
        run_batch(Probe().handler(set()), records(1), ctx(), trigger="t")

    with pytest.raises(sdk.ConfigurationError):
        asyncio.run(inside())


# -- list handlers -----------------------------------------------------------------
def test_list_handler_gets_every_event_once_and_none_means_all_ok() -> None:
    calls: list[list[str]] = []

    @sdk.function
    def handle(events: list[Message[Any]]) -> None:
        calls.append([e.id or "" for e in events])

    outcome = run_batch(handle, records(3), ctx(), trigger="t")
    assert calls == [["m0", "m1", "m2"]] and all(o.ok for o in outcome.outcomes)


@pytest.mark.parametrize("by", ["event", "id"])
def test_list_handler_returns_the_failed_events_or_their_ids(by: str) -> None:
    @sdk.function
    def handle(events: list[Message[Any]]) -> list[Any]:
        failed = [e for e in events if e.id in {"m0", "m2"}]
        return failed if by == "event" else [e.id for e in failed]

    outcome = run_batch(handle, records(4), ctx(), trigger="t")
    assert states(outcome) == ["ReportedFailure", "ok", "ReportedFailure", "ok"]
    assert isinstance(outcome.failed[0].error, ReportedFailure)


def test_list_handler_raising_fails_every_record_it_was_given() -> None:
    @sdk.function
    async def handle(events: list[Message[Any]]) -> None:
        raise Boom("all")

    outcome = run_batch(handle, records(3), ctx(), trigger="t")
    assert outcome.all_failed and {id(o.error) for o in outcome.outcomes} == {
        id(outcome.first_error)}


def test_list_handler_never_sees_records_that_did_not_decode_or_validate() -> None:
    seen: list[list[str]] = []

    @sdk.function
    def handle(events: list[Message[Order]]) -> None:
        seen.append([e.id or "" for e in events])

    def broken() -> list[Any]:
        raise EventDecodeError("test.queue", "malformed record")

    batch = [Record("k0", [message(0)]), Record("k1", broken),
             Record("k2", [message(2, "not json")]), Record("k3", [message(3)])]
    outcome = run_batch(handle, batch, ctx(), trigger="t")
    assert seen == [["m0", "m3"]]
    assert states(outcome) == ["ok", "EventDecodeError", "DataValidationError", "ok"]


def test_list_handler_on_an_ordered_group_reports_everything_after_a_failure() -> None:
    seen: list[list[str]] = []

    @sdk.function
    def handle(events: list[Message[Any]]) -> list[str]:
        seen.append([e.id or "" for e in events])
        return ["m1"]

    def broken() -> list[Any]:
        raise EventDecodeError("test.queue", "malformed record")

    batch = [*records(3, group="g"), Record("k3", broken, group="g"),
             Record("k4", [message(4)], group="g")]
    outcome = run_batch(handle, batch, ctx(), trigger="t")
    assert seen == [["m0", "m1", "m2"]]  # m4 comes after a failure: never handed over
    assert states(outcome) == ["ok", "ReportedFailure", "skipped", "EventDecodeError",
                               "skipped"]


@pytest.mark.parametrize("result", ["m1", {"m1": True}, 7, [object()], ["nope"]])
def test_list_handler_result_that_names_no_event_of_the_batch_is_refused(result: Any) -> None:
    @sdk.function
    def handle(events: list[Message[Any]]) -> Any:
        return result

    with pytest.raises(ResponseEncodeError):
        run_batch(handle, records(2), ctx(), trigger="t")


def test_empty_batch_is_no_failure() -> None:
    outcome = run_batch(failing_on(set(), []), [], ctx(), trigger="t")
    assert outcome.outcomes == [] and not outcome.all_failed and not outcome.failed


# -- the policies every trigger names ------------------------------------------------
def test_fail_attempts_every_record_then_raises_the_first_failure() -> None:
    from sdk._batch import FAIL

    seen: list[str] = []
    with pytest.raises(Boom, match="m1"):
        run_batch(failing_on({"m1", "m3"}, seen), records(5), ctx(), trigger="t", policy=FAIL)
    assert seen == ["m0", "m1", "m2", "m3", "m4"]


def test_fail_fast_stops_at_the_first_failure_of_the_sequence() -> None:
    from sdk._batch import FAIL_FAST

    seen: list[str] = []
    with pytest.raises(Boom, match="m1"):
        run_batch(failing_on({"m1"}, seen), records(4), ctx(), trigger="t", policy=FAIL_FAST)
    assert seen == ["m0", "m1"]


def test_fail_fast_stops_an_async_handler_at_the_first_failure_too() -> None:
    from sdk._batch import FAIL_FAST

    seen: list[str] = []

    @sdk.function
    async def handle(event: Message[Any]) -> None:
        seen.append(event.id or "")
        if event.id == "m1":
            raise Boom(event.id)

    with pytest.raises(Boom):
        run_batch(handle, records(4), ctx(), trigger="t", policy=FAIL_FAST)
    assert seen == ["m0", "m1"]


def test_results_are_kept_per_record_and_a_list_handlers_answer_whole() -> None:
    from sdk._batch import REPORT_RESULTS

    @sdk.function
    def one(event: Message[Any]) -> str:
        return (event.id or "").upper()

    outcome = run_batch(one, records(3), ctx(), trigger="t", policy=REPORT_RESULTS)
    assert outcome.results == ["M0", "M1", "M2"] and outcome.answer is None

    @sdk.function
    def whole(events: list[Message[Any]]) -> list[str]:
        return [e.id or "" for e in events]

    outcome = run_batch(whole, records(2), ctx(), trigger="t", policy=REPORT_RESULTS)
    assert outcome.answer == ["m0", "m1"] and not outcome.failed


def test_reading_a_batch_result_names_events_or_ids_and_rejects_anything_else() -> None:
    from sdk._batch import reported

    events = [message(n) for n in range(3)]
    assert reported([events[2], "m0"], events, "t") == [0, 2]
    assert reported(None, events, "t") == []
    with pytest.raises(ResponseEncodeError):
        reported("m0", events, "t")


# -- the async mode: the same runner from a running loop ------------------------------
def _shapes(bad: set[str]) -> dict[str, Any]:
    """One handler of each shape failing on ``bad``: per event (sync, async), list."""
    def one(event: Message[Any]) -> str:
        if event.id in bad:
            raise Boom(event.id)
        return event.id or ""

    async def one_async(event: Message[Any]) -> str:
        await asyncio.sleep(0)
        return one(event)

    def whole(events: list[Message[Any]]) -> list[str]:
        return [e.id or "" for e in events if e.id in bad]

    async def whole_async(events: list[Message[Any]]) -> list[str]:
        return whole(events)

    return {name: sdk.as_function(fn) for name, fn in
            {"sync": one, "async": one_async, "list": whole, "list-async": whole_async}.items()}


def _grouped() -> list[Record]:
    return [Record(f"k{n}", [message(n)], group="ab"[n % 2]) for n in range(6)]


@pytest.mark.parametrize("shape", ["sync", "async", "list", "list-async"])
@pytest.mark.parametrize("policy", ["REPORT", "REPORT_RESULTS"])
def test_run_batch_async_is_run_batch_from_a_loop(shape: str, policy: str) -> None:
    from sdk import _batch

    fn = _shapes({"m2"})[shape]
    chosen = getattr(_batch, policy)
    sync = run_batch(fn, _grouped(), ctx(), trigger="t", policy=chosen)
    looped = asyncio.run(_batch.run_batch_async(fn, _grouped(), ctx(), trigger="t",
                                                policy=chosen))
    assert states(looped) == states(sync)
    if "list" not in shape:
        assert states(looped)[::2] == ["ok", "Boom", "skipped"]  # group "a" stopped at m2
    elif policy == "REPORT":
        assert states(looped)[::2] == ["ok", "ReportedFailure", "skipped"]
    else:  # a list handler's result is the answer, not failures
        assert looped.answer == ["m2"] and not looped.failed
    assert (looped.results, looped.answer) == (sync.results, sync.answer)


@pytest.mark.parametrize("shape", ["sync", "async"])
def test_run_batch_async_fail_fast_raises_the_first_failure(shape: str) -> None:
    from sdk._batch import FAIL_FAST, run_batch_async

    with pytest.raises(Boom, match="m1"):
        asyncio.run(run_batch_async(_shapes({"m1", "m3"})[shape], records(4), ctx(),
                                    trigger="t", policy=FAIL_FAST))


# -- one record: run_one is run_batch without the batch's lists ------------------------
def _one_by(runner: str, fn: Any, record: Record, policy: Any) -> Any:
    from sdk._batch import run_one

    if runner == "run_one":
        return run_one(fn, record, ctx(), trigger="t", policy=policy)
    run_batch(fn, [record], ctx(), trigger="t", policy=policy)
    return None if fn.batch else record.result


@pytest.mark.parametrize("shape", ["sync", "async", "list", "list-async"])
@pytest.mark.parametrize("policy", ["FAIL", "FAIL_FAST"])
@pytest.mark.parametrize("bad", [set(), {"m0"}])
def test_run_one_is_run_batch_over_one_record(shape: str, policy: str, bad: set[str],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from sdk import _batch

    seen = []
    for runner in ("run_batch", "run_one"):
        fn = _shapes(bad)[shape]
        try:
            answer: Any = ("returned", _one_by(runner, fn, records(1)[0],
                                               getattr(_batch, policy)))
        except Exception as exc:  # compared below
            answer = ("raised", type(exc).__name__, str(exc))
        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        seen.append((answer, [(x["message"], x.get("record")) for x in lines]))
    assert seen[0] == seen[1]
    # under FAIL_FAST a list handler's result is the answer, not the failed events
    reported = "list" in shape and policy == "FAIL_FAST"
    assert seen[1][0][0] == ("raised" if bad and not reported else "returned")


def test_run_one_raises_a_malformed_records_error_after_its_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    from sdk._batch import FAIL, run_one

    with pytest.raises(EventDecodeError):
        run_one(failing_on(set(), []), Record(None, _decode_fails, position="t[0]"), ctx(),
                trigger="t", policy=FAIL)
    (line,) = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert (line["error_type"], line["record"]) == ("EventDecodeError", "t[0]")


def test_run_one_refuses_a_reporting_policy() -> None:
    from sdk._batch import REPORT, run_one

    with pytest.raises(ValueError, match="report"):
        run_one(failing_on(set(), []), records(1)[0], ctx(), trigger="t", policy=REPORT)
