"""A FastAPI app behind each bridge: ``python -m benchmarks.webapp [--quick]``.

The same app (``POST /orders`` validating a pydantic body, reading a query value
and a header) answers the same request through:

* AWS (the HTTP API 2.0 event of :mod:`benchmarks.http_v2`):
  ``lambda_handler(sdk.asgi(app))`` against ``Mangum(app, lifespan="off")`` (its
  fastest setting; "auto", its default, runs startup and shutdown every call);
* Azure (the ``func.HttpRequest`` of :mod:`benchmarks.azure_http`, built as the
  worker builds it, on every side): ``bind(sdk.asgi(app), "req")`` against
  ``func.AsgiMiddleware(app)``: ``handle_async`` awaited on one loop (its best
  case, as an async function on the worker's loop) and ``main`` (sync, as the
  docs' ``main = func.AsgiMiddleware(app).main``, an ``asyncio.run`` each call);
* the floor: the app itself, called with a prepared scope on a loop that stays
  (``loop.run_until_complete``), which is the app's own time.

Every AWS call gets a fresh event, parsed from the event's JSON text as the Lambda
runtime does (the app-alone floor parses one too, so that cost cancels), and the
garbage collector stays on (a bridge that allocates more pays for the collections
it causes; in ``python -m benchmarks`` too, whose timer would turn it off). Times
are CPU time of this process (``time.process_time``), median of interleaved
rounds: wall time on a machine shared with other work swings by more than the
overheads measured here.

A bridge's overhead is its time minus the floor; the ratios printed are of
overheads (issue 16: polyfn's ≤ 0.5x mangum's, ≤ AsgiMiddleware's). The scenarios
also run in ``python -m benchmarks`` (totals there).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from ._core import Impl, Scenario, need
from .azure_http import request_args
from .http_v2 import EVENT, LambdaContext

#: The event as the Lambda runtime receives it: each call parses a fresh one.
EVENT_TEXT = json.dumps(EVENT)

__all__ = ["AZURE", "MINIMAL", "SCENARIO", "SCENARIOS", "app", "main"]

_LOOP: list[asyncio.AbstractEventLoop] = []


def _loop() -> asyncio.AbstractEventLoop:
    if not _LOOP:
        _LOOP.append(asyncio.new_event_loop())
    return _LOOP[0]


def app() -> Any:
    """The FastAPI app every side serves (built once per process)."""
    fastapi = need("fastapi")
    pydantic = need("pydantic")

    class Order(pydantic.BaseModel):
        name: str
        quantity: int

    async def create(order, request, page=1):  # type: ignore[no-untyped-def]
        return {"name": order.name, "quantity": order.quantity, "page": page,
                "agent": request.headers.get("user-agent")}

    # Real annotations (this module's are strings, which FastAPI cannot resolve
    # for a model defined in a function).
    create.__annotations__ = {"order": Order, "request": fastapi.Request, "page": int,
                              "return": dict}
    api = fastapi.FastAPI()
    api.post("/orders", status_code=201)(create)
    # func.AsgiMiddleware hands the app the path with the host's /api prefix and no
    # root_path: the same endpoint there too, so every side runs the same code.
    api.post("/api/orders", status_code=201)(create)
    return api


_APP: list[Any] = []


def _app() -> Any:
    if not _APP:
        _APP.append(app())
    return _APP[0]


def _canon(response: Any) -> Any:
    """The JSON answer of any side (dict, func.HttpResponse or the floor's bytes)."""
    if isinstance(response, dict):
        return json.loads(response["body"])
    if isinstance(response, bytes):
        return json.loads(response)
    return json.loads(response.get_body())


async def minimal(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A minimal ASGI app (reads the body, answers JSON): the bridges' own cost with
    next to no app time, for measuring a step (``webapp:MINIMAL``)."""
    await receive()
    await send({"type": "http.response.start", "status": 201,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"{}"})


def _floor(scope: dict[str, Any], body: bytes, event: bool,
           asgi_app: Any = None) -> Callable[[], Any]:
    """The app alone: a prepared scope, trivial receive/send, one loop for all;
    ``event``: parse a fresh AWS event first, as the AWS sides do."""
    asgi_app, loop = asgi_app or _app(), _loop()

    async def once() -> bytes:
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await asgi_app(dict(scope), receive, send)
        return b"".join(chunks)

    def run() -> Any:
        gc.enable()  # see the module docstring
        if event:
            json.loads(EVENT_TEXT)  # what every AWS side pays for its fresh event
        return loop.run_until_complete(once())

    return run


def _aws_scope() -> dict[str, Any]:
    sdk = need("sdk")
    aws = need("adapters.aws")
    from sdk._asgi import http_scope

    (request,) = aws.decode(EVENT)
    del sdk
    return http_scope(request, None)


def _aws_floor() -> Callable[[], Any]:
    return _floor(_aws_scope(), EVENT["body"].encode(), True)


def _aws_polyfn() -> Callable[[], Any]:
    sdk, aws = need("sdk"), need("adapters.aws")
    handler, context = aws.lambda_handler(sdk.asgi(_app(), lifespan="off")), LambdaContext()

    def run() -> Any:
        gc.enable()
        return handler(json.loads(EVENT_TEXT), context)

    return run


def _minimal_floor() -> Callable[[], Any]:
    return _floor(_aws_scope(), EVENT["body"].encode(), True, minimal)


def _minimal_polyfn() -> Callable[[], Any]:
    sdk, aws = need("sdk"), need("adapters.aws")
    handler, context = aws.lambda_handler(sdk.asgi(minimal, lifespan="off")), LambdaContext()

    def run() -> Any:
        gc.enable()
        return handler(json.loads(EVENT_TEXT), context)

    return run


def _mangum() -> Callable[[], Any]:
    mangum = need("mangum")
    handler, context, loop = mangum.Mangum(_app(), lifespan="off"), LambdaContext(), _loop()
    set_loop = asyncio.set_event_loop

    def run() -> Any:
        # mangum runs on the thread's current loop, which AsgiMiddleware.main's
        # asyncio.run unsets after each call: set it again (well under 1 us).
        gc.enable()
        set_loop(loop)
        return handler(json.loads(EVENT_TEXT), context)

    return run


def _mangum_auto() -> Callable[[], Any]:
    mangum = need("mangum")
    handler, context, loop = mangum.Mangum(_app()), LambdaContext(), _loop()
    set_loop = asyncio.set_event_loop

    def run() -> Any:  # mangum's default: a lifespan startup and shutdown every call
        gc.enable()
        set_loop(loop)
        return handler(json.loads(EVENT_TEXT), context)

    return run


def _gc_on(fn: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        gc.enable()  # see the module docstring
        return fn()

    return run


def _azure_floor() -> Callable[[], Any]:
    azure = need("adapters.azure")
    func = need("azure.functions")
    from sdk._asgi import http_scope

    (request,) = azure.decode(func.HttpRequest(**request_args()))
    return _floor(http_scope(request, None), request_args()["body"], False)


def _azure_polyfn() -> Callable[[], Any]:
    sdk, azure, func = need("sdk"), need("adapters.azure"), need("azure.functions")
    fn, http_request, args = azure.bind(sdk.asgi(_app(), lifespan="off"), "req",
                                        name="web"), func.HttpRequest, request_args()
    return _gc_on(lambda: fn(http_request(**args)))


def _middleware_async() -> Callable[[], Any]:
    func = need("azure.functions")
    middleware, http_request, args, loop = (func.AsgiMiddleware(_app()), func.HttpRequest,
                                            request_args(), _loop())
    return _gc_on(lambda: loop.run_until_complete(middleware.handle_async(http_request(**args))))


def _middleware_main() -> Callable[[], Any]:
    func = need("azure.functions")
    main, http_request, args = func.AsgiMiddleware(_app()).main, func.HttpRequest, request_args()
    return _gc_on(lambda: main(http_request(**args), None))


SCENARIO = Scenario(
    name="webapp.aws", title="FastAPI on Lambda: sdk.asgi vs mangum",
    polyfn=Impl("polyfn", _aws_polyfn, canon=_canon),
    peers=(Impl("mangum", _mangum, canon=_canon),
           Impl("mangum (lifespan auto)", _mangum_auto, canon=_canon)),
    floor=Impl("app alone", _aws_floor, canon=_canon),
)
AZURE = Scenario(
    name="webapp.azure", title="FastAPI on Azure: sdk.asgi vs func.AsgiMiddleware",
    polyfn=Impl("polyfn", _azure_polyfn, canon=_canon),
    peers=(Impl("AsgiMiddleware.handle_async", _middleware_async, canon=_canon),
           Impl("AsgiMiddleware.main", _middleware_main, canon=_canon)),
    floor=Impl("app alone (azure)", _azure_floor, canon=_canon),
)
#: The AWS side with a minimal app (``python -m benchmarks.instructions webapp:MINIMAL``):
#: the bridge's overhead is the same within a few k, for a fraction of the time.
MINIMAL = Scenario(
    name="webapp.minimal", title="A minimal ASGI app on Lambda: sdk.asgi's overhead",
    polyfn=Impl("polyfn", _minimal_polyfn, canon=_canon),
    floor=Impl("app alone (minimal)", _minimal_floor, canon=_canon),
)
SCENARIOS = (SCENARIO, AZURE)
#: Issue 16's goals: polyfn's overhead at most this times each peer's.
GOALS = {"mangum": 0.5, "mangum (lifespan auto)": 0.5, "AsgiMiddleware.handle_async": 1.0,
         "AsgiMiddleware.main": 1.0}


def overheads(results: list[Any]) -> str:
    """The overhead table: each bridge's time minus the app's own, and the ratios."""
    lines = ["| scenario | app alone | bridge | total | overhead | polyfn / bridge | goal |",
             "|---|---:|---|---:|---:|---:|---|"]
    for result in results:
        floor, ours = result.floor, result.polyfn
        if floor is None or ours is None:
            lines.append(f"| {result.scenario.name} | n/a ({result.missing}) |||||")
            continue
        mine = ours - floor
        lines.append(f"| {result.scenario.name} | {floor:.1f} us | polyfn | {ours:.1f} us | "
                     f"{mine:.1f} us | | |")
        for name, total in result.peers.items():
            if total is None:
                lines.append(f"| | | {name} | n/a ({result.missing.get(name)}) ||||")
                continue
            theirs = total - floor
            ratio = mine / theirs if theirs > 0 else float("inf")
            goal = GOALS.get(name)
            verdict = "" if goal is None else f"<= {goal:g}x: {'ok' if ratio <= goal else 'MISSED'}"
            lines.append(f"| | | {name} | {total:.1f} us | {theirs:.1f} us | {ratio:.2f}x | "
                         f"{verdict} |")
    return "\n".join(lines)


def cpu_us(fn: Callable[[], Any], min_time: float) -> float:
    """CPU microseconds per call (``time.process_time``): on a shared machine other
    processes' load does not count, and every side runs in this one thread. The
    garbage collector stays on (module docstring); each measurement starts from a
    collected heap."""
    number = 10
    gc.collect()
    while True:
        start = time.process_time()
        for _ in range(number):
            fn()
        elapsed = time.process_time() - start
        if elapsed >= min_time:
            return elapsed / number * 1e6
        number *= 2


def measure(scenarios: list[Scenario], rounds: int, min_time: float) -> list[Any]:
    """Every side of every scenario, interleaved over ``rounds``; medians."""
    from ._report import Result

    results = [Result(s) for s in scenarios]
    jobs: list[tuple[Any, str, str, Callable[[], Any]]] = []
    for result in results:
        for role, impl in result.scenario.impls():
            fn = impl.setup()
            fn()
            jobs.append((result, role, impl.name, fn))
    samples: dict[tuple[int, str], list[float]] = {}
    for round_no in range(rounds):
        shift = round_no % len(jobs)
        for result, _, name, fn in jobs[shift:] + jobs[:shift]:
            samples.setdefault((id(result), name), []).append(cpu_us(fn, min_time))
    for result, role, name, _ in jobs:
        value = statistics.median(samples[(id(result), name)])
        if role == "polyfn":
            result.polyfn = value
        elif role == "floor":
            result.floor = value
        else:
            result.peers[name] = value
    return results


#: Run in a fresh interpreter: the app's own imports first (as its module does),
#: then the bridge's import and wrapping, timed in CPU time; prints milliseconds.
_COLD = """
import time
import fastapi
app = fastapi.FastAPI()
{prelude}
start = time.process_time()
{bridge}
print((time.process_time() - start) * 1000)
"""
#: name -> (untimed prelude, timed code)
BRIDGES = {
    "sdk.asgi alone (polyfn already imported)": (
        "import sdk, adapters.aws", "h = adapters.aws.lambda_handler(sdk.asgi(app))"),
    "polyfn + sdk.asgi (import sdk, adapters.aws too)": (
        "", "import sdk, adapters.aws\nh = adapters.aws.lambda_handler(sdk.asgi(app))"),
    "mangum": ("", "from mangum import Mangum\nh = Mangum(app)"),
}


def coldstart(runs: int) -> dict[str, float]:
    """Median milliseconds each bridge adds to a cold start once FastAPI is loaded
    (sources byte-compiled first, as in a deployed package)."""
    import compileall
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    for package in ("sdk", "adapters"):
        compileall.compile_dir(root / package, quiet=1)

    out: dict[str, list[float]] = {name: [] for name in BRIDGES}
    for _ in range(runs):
        for name, (prelude, code) in BRIDGES.items():
            done = subprocess.run([sys.executable, "-c", _COLD.format(prelude=prelude,
                                                                       bridge=code)],
                                  capture_output=True, text=True, check=True)
            out[name].append(float(done.stdout.strip().splitlines()[-1]))
    return {name: statistics.median(values) for name, values in out.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.webapp", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2 short rounds (rough numbers)")
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args(argv)
    rounds = args.rounds or (2 if args.quick else 7)
    cold = coldstart(3 if args.quick else 15)
    print("Cold start: what importing and wrapping adds once FastAPI is loaded "
          "(median, fresh interpreters):\n")
    for name, ms in cold.items():
        goal = " (goal <= 3 ms)" if name.startswith("sdk.asgi alone") else ""
        print(f"- {name}: {ms:.2f} ms CPU{goal}")
    print()
    results = measure(list(SCENARIOS), rounds, 0.02 if args.quick else 0.3)
    print(f"CPU time per request, median of {rounds} interleaved rounds "
          f"(Python {platform.python_version()}):\n")
    print(overheads(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
