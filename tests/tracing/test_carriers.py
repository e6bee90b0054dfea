"""The carrier rules of adapters/_tracing: what counts as a producer context."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from adapters._tracing._carrier import from_attributes, traceparent
from tests.support.samples import PROJECT_ROOT

W3C = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def test_traceparent_keeps_its_state() -> None:
    assert traceparent(W3C, "congo=t61rcWkgMzE") == {"traceparent": W3C,
                                                     "tracestate": "congo=t61rcWkgMzE"}


@pytest.mark.parametrize("value", [None, 7, "", "|4bf92f3577b34da6.1.", "not-a-trace"])
def test_what_is_no_traceparent(value: object) -> None:
    """The hierarchical Request-Id form older Azure SDKs wrote as Diagnostic-Id is not one."""
    assert traceparent(value) is None


@pytest.mark.parametrize("key", ["traceparent", "googclient_traceparent", "Diagnostic-Id"])
def test_attribute_keys(key: str) -> None:
    assert from_attributes({key: W3C, "other": "x"}) == {"traceparent": W3C}


def test_googclient_tracestate_goes_with_its_parent() -> None:
    found = from_attributes({"googclient_traceparent": W3C, "googclient_tracestate": "a=b"})
    assert found == {"traceparent": W3C, "tracestate": "a=b"}


def test_the_tracing_benchmark_runs_its_three_modes() -> None:
    answer = subprocess.run(
        [sys.executable, "-m", "benchmarks.tracing", "--rounds", "1", "--min-time", "0.001"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert answer.returncode == 0, answer.stderr
    lines = answer.stdout.splitlines()
    assert lines[0].split()[1:4] == ["off", "no-provider", "sdk"]
    assert [line.split()[0] for line in lines[1:]] == ["http.v2", "sqs.batch-10"]


def _systems() -> set[str]:
    """Every ``messaging.system`` value the tracing tables can write."""
    from adapters._tracing import _aws, _azure, _events

    rows = [*_aws.CARRIERS.values(), *_azure.CARRIERS.values()]
    found = {row.system for row in rows if row.system is not None}
    found |= set(_events._SYSTEMS.values())
    found |= {_aws._mq(raw)["messaging.system"] for raw in ({"rmqMessagesByQueue": {}}, {})}
    return found


def test_every_messaging_system_is_a_registered_value() -> None:
    """The values come from the conventions' registry (the semantic-conventions
    package's generated enum, the registry's own ``messaging.system`` members)."""
    from opentelemetry.semconv._incubating.attributes.messaging_attributes import (
        MessagingSystemValues,
    )

    registered = {value.value for value in MessagingSystemValues}
    assert _systems() <= registered
    assert {"aws.sns", "aws_sqs", "servicebus", "eventhubs", "eventgrid",
            "gcp_pubsub"} <= _systems()


def test_the_in_process_tracing_modes_set_and_restore_what_decides_them() -> None:
    """benchmarks.tracing's modes: the floor runs without the hooks, the sdk mode
    records spans, and after each call the process is as it was."""
    import adapters.aws
    import sdk._batch
    import sdk._tracing
    from benchmarks import tracing

    seen: list[Any] = []
    before = (adapters.aws._invoke, sdk._batch._attempt, sys.modules.get("opentelemetry.trace"))

    def probe() -> None:
        seen.append((adapters.aws._invoke, sdk._batch._attempt,
                     "opentelemetry.trace" in sys.modules, sdk._tracing.tracer()))

    for mode in ("off", "no-provider", "no-hooks", "sdk"):
        tracing._mode(mode).wrap(probe)()
        assert (adapters.aws._invoke, sdk._batch._attempt,
                sys.modules.get("opentelemetry.trace")) == before
    off, no_provider, floor, traced = seen
    assert off[:2] == before[:2] and not off[2] and off[3] is None
    assert no_provider[2] and no_provider[3] is None
    assert floor[0] is tracing._bare_invoke and floor[1] is sdk._batch._handle
    assert traced[3] is not None
    ratio, ours, theirs = tracing.paired("off", "sqs.batch-10", 2, 0.0005)
    assert ratio > 0 and ours > 0 and theirs > 0


def test_the_checks_benchmark_runs() -> None:
    from benchmarks import tracing

    assert set(tracing.checks(1)) == {"invocation", "record"}
