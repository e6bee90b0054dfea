"""The benchmarks run, and polyfn and each peer compute the same thing.

No timing is asserted here (numbers on a shared CI machine mean nothing): each
scenario's implementations run once and their canonical results are compared;
the cold-start scripts run once each. The last tests pin the fast paths added for
speed to the slow paths they replace.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest

from benchmarks import Scenario, Unavailable, coldstart, scenarios
from benchmarks._core import Impl
from benchmarks._report import Result, table, to_json

SCENARIOS = scenarios()


def _run(impl: Impl) -> Any:
    try:
        fn = impl.setup()
    except Unavailable as exc:
        pytest.skip(f"{impl.name}: n/a ({exc})")
    return fn()


def test_scenario_names_are_unique() -> None:
    names = [s.name for s in SCENARIOS]
    assert len(names) == len(set(names))
    for scenario in SCENARIOS:
        impl_names = [impl.name for _, impl in scenario.impls()]
        assert len(impl_names) == len(set(impl_names)), scenario.name
        for target in scenario.targets:
            assert target.against == "floor" or target.against in impl_names


@pytest.mark.parametrize(
    ("scenario", "impl"),
    [pytest.param(s, impl, id=f"{s.name}:{impl.name}")
     for s in SCENARIOS for role, impl in s.impls() if role != "polyfn"],
)
def test_polyfn_computes_what_the_peer_computes(scenario: Scenario, impl: Impl) -> None:
    polyfn = scenario.polyfn.canon(_run(scenario.polyfn))
    other = impl.canon(_run(impl))
    assert impl.project(polyfn) == other


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_each_implementation_runs_repeatedly(scenario: Scenario) -> None:
    """The timed callables are called many times: the second call must work too."""
    for _, impl in scenario.impls():
        try:
            fn = impl.setup()
        except Unavailable:
            continue
        first = impl.canon(fn())
        assert impl.canon(fn()) == first, impl.name


def test_report_shapes() -> None:
    scenario = SCENARIOS[0]
    result = Result(scenario, polyfn=2.0, peers={p.name: 4.0 for p in scenario.peers},
                    floor=1.0)
    text = table([result], rounds=1)
    assert scenario.name in text and "polyfn" in text
    out = to_json([result])
    assert list(out) == ["_meta", scenario.name]  # when and under what load, then scenarios
    assert len(out["_meta"]["load"]) == 3 and out["_meta"]["date"].endswith("UTC")
    entry = out[scenario.name]
    assert entry["polyfn"] == 2.0 and entry["floor"] == 1.0
    assert entry["peers"] == {p.name: 4.0 for p in scenario.peers}
    json.dumps(out)
    missing = Result(scenario, missing={"polyfn": "not implemented yet: x"})
    assert "n/a" in table([missing], rounds=1)
    assert all(t["verdict"].startswith("n/a") for t in to_json([missing])[scenario.name]
               ["targets"])


def test_summary_is_one_row_per_scenario_with_its_verdict() -> None:
    from benchmarks._report import summary

    scenario = SCENARIOS[0]  # http.apigw-v2: <= 0.8x powertools, <= 0.35x mangum, <= 2x floor
    met = Result(scenario, polyfn=2.0, peers={p.name: 100.0 for p in scenario.peers},
                 floor=1.5)
    missed = Result(scenario, polyfn=2.0, peers={p.name: 100.0 for p in scenario.peers},
                    floor=0.5)
    for result, verdict, floor_ratio in ((met, "met", "1.33x"), (missed, "MISSED", "4.00x")):
        rows = [line for line in summary(json.loads(json.dumps(to_json([result])))).splitlines()
                if line.startswith("| AWS HTTP API (v2) |")]
        assert len(rows) == 1
        cells = [c.strip() for c in rows[0].strip("|").split("|")]
        assert cells[1].startswith("0.02x ") and cells[2] == floor_ratio and cells[4] == verdict


def test_runner_quick_run_writes_json(tmp_path: Path) -> None:
    from benchmarks.__main__ import main

    out = tmp_path / "bench.json"
    assert main(["--rounds", "1", "--min-time", "0.0001", "--only", "http", "--json",
                 str(out)]) == 0
    data = json.loads(out.read_text())
    assert isinstance(data["http.apigw-v2"]["polyfn"], float)


def test_coldstart_scripts_run(tmp_path: Path) -> None:
    """Every cold-start script runs once (each is its own process)."""
    coldstart.write_modules(tmp_path)
    with coldstart.Spawner(coldstart._env(tmp_path), tmp_path) as spawner:
        bare = spawner.run([coldstart.sys.executable, "-c", "pass"])
        assert bare.rss_mib > 0 and bare.wall_ms > 0
        for name, script in coldstart.WHOLE_PROCESS.items():
            if script is not None:
                path = coldstart._script(tmp_path, name, script)
                spawner.run([coldstart.sys.executable, str(path)])
        for name, case in coldstart.IN_PROCESS.items():
            if coldstart._available(case.needs, spawner):
                continue
            path = coldstart._script(tmp_path, name, case.script())
            result = spawner.run([coldstart.sys.executable, str(path)])
            loaded = json.loads(result.output.strip().splitlines()[-1])
            assert loaded["ms"] > 0


def test_scaling_runs_and_measures_memory() -> None:
    from benchmarks import scaling

    times = scaling.run(1, 0.0001, sizes=(10, 30), progress=False)
    assert set(times) == set(scaling.SIDES)
    assert all(row[10] > 0 and row[30] > 0 for row in times.values())
    memory = scaling.memory(30)
    assert memory["peak_bytes"] > 0 and memory["json_bytes"] > 0
    assert memory["unreachable_objects"] == 0  # no reference cycle left per batch


# -- the fast paths agree with what they replace ---------------------------------


def _handlers() -> list[Any]:
    import functools

    def one(event): ...  # type: ignore[no-untyped-def]
    def two(event, context): ...  # type: ignore[no-untyped-def]
    def kw(event, *, option=1): ...  # type: ignore[no-untyped-def]
    def posonly(event, /, context): ...  # type: ignore[no-untyped-def]
    async def coro(event): ...  # type: ignore[no-untyped-def]

    @functools.wraps(two)
    def wrapped(*args, **kwargs): ...  # type: ignore[no-untyped-def]

    class Callable_:
        def __call__(self, event): ...  # type: ignore[no-untyped-def]

    return [one, two, kw, posonly, coro, wrapped, Callable_(), functools.partial(two, 1),
            lambda event: None]


@pytest.mark.parametrize("fn", _handlers())
def test_function_parameters_match_inspect(fn: Any) -> None:
    from sdk._function import _parameters

    params = inspect.signature(fn).parameters.values()
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY,
                                                       p.POSITIONAL_OR_KEYWORD)]
    assert _parameters(fn) == (positional, inspect.iscoroutinefunction(fn))


@pytest.mark.parametrize("text", [
    "", "a=1", "a=1&b=2&a=3", "a", "a=", "=b", "a&&b=2&", "a=1=2", "x=%20y", "x=a+b",
    "%41=1", "a=1;b=2", "k=v&k=&k", "é=ü", "a=%zz",
])
def test_parse_query_matches_parse_qsl(text: str) -> None:
    from adapters._http import QueryPairs, parse_query

    assert parse_query(text) == parse_qsl(text, keep_blank_values=True)
    assert list(QueryPairs(text)) == parse_qsl(text, keep_blank_values=True)


@pytest.mark.parametrize("headers", [
    {"Content-Type": "a", "X-A": "1"},
    {"X-A": "1", "x-a": "2"},
    {"X-A": None, "B": "2"},
    {"X-A": ["1", "2"], "B": "3"},
    {"X-A": 7},
    {},
])
def test_headers_fast_index_matches_the_loop(headers: dict[str, Any]) -> None:
    from sdk import Headers, Query

    def slow(single: dict[str, Any], fold: bool) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for name, value in single.items():
            if value is None:
                continue
            key = name.lower() if fold else name
            values = value if isinstance(value, list) else [value]
            index.setdefault(key, []).extend(str(v) for v in values)
        return index

    assert dict(Headers(headers)._idx) == slow(headers, True)
    assert dict(Query(headers)._idx) == slow(headers, False)


@pytest.mark.parametrize("body", [
    '{"a": 1}', "[1, 2]", "\ufeff{\"a\": 1}", "\x00{}", "not json", "", '"\u00e9"',
])
def test_request_json_of_text_matches_the_bytes(body: str) -> None:
    from sdk import HTTPRequest
    from sdk.errors import EventDecodeError

    def parse(value: str | bytes) -> Any:
        try:
            return HTTPRequest(method="POST", path="/", body=value, provider="t",
                               trigger="t").json()
        except EventDecodeError as exc:
            return ("error", str(exc))

    assert parse(body) == parse(body.encode("utf-8"))


@pytest.mark.parametrize("value", [{"a": [1, 2.5, None, True]}, [{"é": "ü"}], {"k": "\u2028"}])
def test_response_json_matches_dumps(value: Any) -> None:
    from sdk._jsonform import dumps
    from sdk._response import render

    assert render(value).body == dumps(value).encode("utf-8")


def test_lazy_lambda_context_matches_an_eager_one() -> None:
    import copy

    from adapters.aws._context import lambda_context
    from benchmarks.http_v2 import LambdaContext

    context = lambda_context(LambdaContext())
    assert context.request_id == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    assert context.region == "eu-west-1" and context.memory_mb == 128
    assert context.function_name == "orders" and context.function_version == "$LATEST"
    assert 2900 <= (context.remaining_ms() or 0) <= 3000
    assert copy.copy(lambda_context(LambdaContext())).region == "eu-west-1"
    with pytest.raises(AttributeError):
        context.no_such_field  # type: ignore[attr-defined]  # noqa: B018


def test_a_pending_lambda_context_tells_its_deadline_without_filling() -> None:
    from adapters.aws._context import lambda_context
    from benchmarks.http_v2 import LambdaContext

    context = lambda_context(LambdaContext())
    before = context._deadline_at()
    assert context._pending is not None  # type: ignore[attr-defined]  # not filled
    assert 2900 <= (context.remaining_ms() or 0) <= 3000
    assert context.deadline is not None and context._pending is not None  # type: ignore[attr-defined]
    assert context.region == "eu-west-1" and context._pending is None  # type: ignore[attr-defined]
    assert before is not None and abs((context._deadline_at() or 0) - before) < 50
    assert context._deadline_at() == context._deadline_ms
