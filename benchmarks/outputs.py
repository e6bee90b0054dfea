"""Outputs: ``sdk.destination(...).send`` against the same call written with boto3.

Both sides send one small JSON message to an SQS queue on a moto server on
loopback (started on first use, stopped at exit), so the numbers include a real
HTTP round trip, as in production:

* polyfn: ``sdk.destination(QUEUE_ARN).send({"order": 7})`` (the ARN form holds
  the queue URL: no lookup).
* ``boto3``: ``client.send_message(QueueUrl=..., MessageBody=json.dumps(...))``.

Warm (``python -m benchmarks --only outputs``): the runner's interleaved rounds;
the target is polyfn <= 1.05 x boto3. Cold (``python -m benchmarks.outputs
[--runs N]``): a fresh interpreter per run, timed inside from before the first
import to the first send's return; the target is polyfn <= boto3 + 5 ms. Both
print their ratios. The client's environment (endpoint, region, credentials) is
set only around each call, so the process running this keeps its own.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import statistics
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ._core import Impl, Scenario, Target, Unavailable, need

__all__ = ["SCENARIO", "cold", "main"]

ROOT = Path(__file__).resolve().parents[1]
DATA = {"order": 7, "sku": "BOOK-1", "qty": 2}
_state: dict[str, Any] = {}


def _server() -> dict[str, Any]:
    """Start moto once for this process; create the queue."""
    if _state:
        return _state
    need("boto3")
    try:
        from tests.support.servers.moto import Moto

        server = Moto().start()
    except Exception as exc:  # not installed / would not start: say so, no number
        raise Unavailable(f"moto server: {exc}") from None
    atexit.register(server.stop)
    env = {"AWS_ENDPOINT_URL": server.url, "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench",
           "AWS_SECRET_ACCESS_KEY": "bench"}
    _state.update(server=server, env=env)
    with _environment():
        import boto3

        url = boto3.client("sqs").create_queue(QueueName="bench")["QueueUrl"]
    _state.update(url=url, arn="arn:aws:sqs:us-east-1:123456789012:bench")
    return _state


@contextmanager
def _environment() -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in _state["env"]}
    os.environ.update(_state["env"])
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _within(send: Callable[[], str]) -> Callable[[], bool]:
    def run() -> bool:
        with _environment():
            return bool(send())  # a message id came back

    return run


def _polyfn() -> Callable[[], bool]:
    state = _server()
    sdk = need("sdk")
    destination = sdk.destination(state["arn"])
    return _within(lambda: destination.send(DATA))


def _boto3() -> Callable[[], bool]:
    state = _server()
    with _environment():
        import boto3

        client = boto3.client("sqs")
    url = state["url"]
    return _within(lambda: client.send_message(QueueUrl=url,
                                               MessageBody=json.dumps(DATA))["MessageId"])


SCENARIO = Scenario(
    name="outputs.sqs-send",
    title="SQS send, one JSON message (moto on loopback)",
    polyfn=Impl("polyfn", _polyfn),
    peers=(Impl("boto3", _boto3),),
    targets=(Target("boto3", ratio=1.05),),
)

#: Cold first send: each script prints the milliseconds from before its first
#: import to the return of its first send.
COLD = {
    "polyfn": """
        import time; t0 = time.perf_counter()
        import sdk
        sdk.destination(ARN).send({"order": 7, "sku": "BOOK-1", "qty": 2})
        print((time.perf_counter() - t0) * 1000)
    """,
    "boto3": """
        import time; t0 = time.perf_counter()
        import json, boto3
        boto3.client("sqs").send_message(
            QueueUrl=URL, MessageBody=json.dumps({"order": 7, "sku": "BOOK-1", "qty": 2}))
        print((time.perf_counter() - t0) * 1000)
    """,
}


def cold(runs: int) -> dict[str, float]:
    """Median cold first-send milliseconds per side, runs interleaved."""
    state = _server()
    env = {**os.environ, **state["env"], "PYTHONPATH": str(ROOT)}
    prelude = f"ARN = {state['arn']!r}; URL = {state['url']!r}\n"
    samples: dict[str, list[float]] = {name: [] for name in COLD}
    for run in range(runs):
        names = list(COLD)[run % 2:] + list(COLD)[:run % 2]
        for name in names:
            code = prelude + textwrap.dedent(COLD[name])
            out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                 text=True, check=True).stdout
            samples[name].append(float(out.strip().splitlines()[-1]))
    return {name: statistics.median(values) for name, values in samples.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.outputs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9, help="cold runs per side (default 9)")
    args = parser.parse_args(argv)
    from .__main__ import run
    from ._report import table

    (result,) = run([SCENARIO], rounds=7, min_time=0.2)
    print(table([result], 7))
    medians = cold(args.runs)
    extra = medians["polyfn"] - medians["boto3"]
    print(f"cold first send, median of {args.runs}: polyfn {medians['polyfn']:.1f} ms, "
          f"boto3 {medians['boto3']:.1f} ms, polyfn - boto3 = {extra:+.1f} ms "
          f"(target <= +5 ms: {'met' if extra <= 5 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
