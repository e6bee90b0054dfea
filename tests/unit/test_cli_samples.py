"""``polyfn samples``: a sample for every trigger, round trips through the adapters,
``--set`` overrides, listings and one-line errors.

The sample table is ``adapters.testing.<provider>.SAMPLES``; the coverage test fails as
soon as a provider's ``TRIGGERS`` gains a trigger no sample reaches.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from typing import Any

import pytest

import adapters
from adapters.cli import main
from adapters.testing import PROVIDERS, Sample, find, samples
from tests.support.samples import PROJECT_ROOT

ALL_SAMPLES = [sample for provider in PROVIDERS for sample in samples(provider)]
WIRE = [s for s in ALL_SAMPLES if s.wire]
OBJECTS = [s for s in ALL_SAMPLES if not s.wire]


def adapter(provider: str) -> Any:
    return importlib.import_module(adapters.PROVIDERS[provider])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["samples", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err
    return lines[0]


# -- the table ---------------------------------------------------------------------

def test_samples_cover_the_same_providers_as_the_adapters() -> None:
    assert list(PROVIDERS) == list(adapters.PROVIDERS)


def test_sample_names_are_unique_and_belong_to_their_provider() -> None:
    names = [sample.name for sample in ALL_SAMPLES]
    assert len(names) == len(set(names))
    for provider in PROVIDERS:
        assert all(s.provider == provider for s in samples(provider))


TRIGGER_PARAMS = [pytest.param(provider, index, id=f"{provider}[{index}]:{trigger.name}")
                  for provider in PROVIDERS
                  for index, trigger in enumerate(adapter(provider).TRIGGERS)]


@pytest.mark.parametrize(("provider", "index"), TRIGGER_PARAMS)
def test_every_trigger_has_a_sample(provider: str, index: int) -> None:
    module = adapter(provider)
    trigger = module.TRIGGERS[index]
    reached = [s.name for s in samples(provider) if module.detect(s.build()) is trigger]
    assert reached, f"no sample in sdk/testing/{provider}.py reaches {trigger!r}: add one"


@pytest.mark.parametrize("sample", OBJECTS, ids=lambda s: s.name)
def test_object_samples_name_a_factory_that_exists(sample: Sample) -> None:
    module_name, _, name = sample.factory_path.rpartition(".")
    assert getattr(importlib.import_module(module_name), name) is sample.build
    assert sample.note


# -- round trips -------------------------------------------------------------------

def check_decodes(sample: Sample, raw: Any) -> list[Any]:
    module = adapter(sample.provider)
    assert module.detect(raw).name == sample.detected_by
    events = module.decode(raw)
    assert events
    for event in events:
        assert (event.trigger, event.kind) == (sample.events_trigger, sample.kind)
        json.dumps(event.to_dict(), default=str)  # every field renders
    return events


@pytest.mark.parametrize("sample", WIRE, ids=lambda s: s.name)
def test_every_printed_sample_decodes_to_its_trigger_and_kind(
        sample: Sample, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, sample.provider, sample.short)
    assert (code, err) == (0, "")
    check_decodes(sample, json.loads(out))


@pytest.mark.parametrize("sample", OBJECTS, ids=lambda s: s.name)
def test_every_object_sample_decodes_to_its_trigger_and_kind(sample: Sample) -> None:
    check_decodes(sample, sample.build())


@pytest.mark.parametrize("sample", OBJECTS, ids=lambda s: s.name)
def test_an_object_sample_is_explained_in_one_line(
        sample: Sample, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, sample.provider, sample.short)
    assert (code, out) == (2, "")
    assert f"{sample.factory_path}(...)" in one_error_line(err)


#: (argv, field of the decoded event -> expected value)
OVERRIDES: list[tuple[list[str], dict[str, Any]]] = [
    (["aws", "sqs", "--set", 'body={"id": 1}', "--set", "queue=orders"],
     {"data": {"id": 1}, "queue": "orders"}),
    (["aws", "aws.sqs", "--set", "time=2024-06-01T08:30:00Z", "--set", "receive_count=3"],
     {"time": "2024-06-01T08:30:00Z", "delivery_count": 3}),
    (["aws", "sns", "--set", "message=hello", "--set", "topic=alerts", "--set", "subject=Hi"],
     {"data": "hello", "topic": "alerts", "subject": "Hi"}),
    (["aws", "apigw-v2", "--set", "method=POST", "--set", "path=/orders",
      "--set", "query=a=1&a=2"], {"method": "POST", "path": "/orders", "query": {"a": ["1", "2"]}}),
    (["aws", "apigw.v1", "--set", "path=/v1/items", "--set", "body=plain"],
     {"path": "/v1/items", "body": "plain"}),
    (["aws", "s3", "--set", "key=photos/a b.jpg", "--set", "bucket=pics",
      "--set", "event_name=ObjectRemoved:Delete"],
     {"key": "photos/a b.jpg", "bucket": "pics", "operation": "deleted"}),
    (["aws", "dynamodb.stream", "--set", 'new={"id": "7", "n": 2}', "--set", 'keys={"id": "7"}',
      "--set", "table=orders"],
     {"new": {"id": "7", "n": 2}, "keys": {"id": "7"}, "table": "orders", "operation": "insert"}),
    (["aws", "kafka", "--set", "topic=clicks", "--set", "partition=3", "--set", "value=x"],
     {"topic": "clicks", "partition": "3", "data": "x"}),
    (["aws", "scheduled", "--set", "schedule=nightly"], {"schedule": "nightly"}),
    (["aws", "scheduled", "--set", "scheduler=true"], {"source": "aws.scheduler"}),
    (["aws", "eventbridge", "--set", 'detail={"a": 1}', "--set", "detail_type=Shipped",
      "--set", "source=com.shop"], {"data": {"a": 1}, "type": "Shipped", "source": "com.shop"}),
    (["aws.s3.eventbridge", "--set", "key=x.csv", "--set", "detail_type=Object Deleted"],
     {"key": "x.csv", "operation": "deleted"}),
    (["azure", "eventgrid", "--set", "event_type=Shop.Ordered", "--set", "subject=orders/9",
      "--set", 'data={"id": 9}'], {"type": "Shop.Ordered", "subject": "orders/9",
                                   "data": {"id": 9}}),
    (["azure", "blob.eventgrid", "--set", "blob=in/a.txt", "--set", "container=inbox"],
     {"bucket": "inbox", "key": "in/a.txt", "operation": "created"}),
    (["azure", "cosmosdb", "--set", 'document={"id": "d1", "total": 5}'],
     {"keys": {"id": "d1"}, "operation": "upsert"}),
    (["gcp", "pubsub", "--set", 'data={"id": 2}', "--set", "topic=orders"],
     {"data": {"id": 2}, "topic": "orders"}),
    (["gcp", "storage", "--set", "name=x.txt", "--set", "bucket=b1", "--set", "event=deleted"],
     {"key": "x.txt", "bucket": "b1", "operation": "deleted"}),
    (["gcp", "firestore", "--set", "document=users/7", "--set", 'value={"name": "Ada"}'],
     {"table": "users", "new": {"name": "Ada"}}),
    (["gcp", "scheduler", "--set", "job=nightly", "--set", "data=run"],
     {"schedule": "nightly", "data": "run"}),
    (["gcp", "pubsub.push", "--set", "data=hi", "--set", "subscription=sub-1"],
     {"data": "hi", "queue": "sub-1"}),
    (["cloudevents", "structured", "--set", "type=com.x.y", "--set", "source=/s",
      "--set", 'data={"a": 1}'], {"type": "com.x.y", "source": "/s", "data": {"a": 1}}),
]


@pytest.mark.parametrize(("argv", "expected"), OVERRIDES, ids=lambda v: " ".join(v)
                         if isinstance(v, list) else "")
def test_set_overrides_land_in_the_decoded_event(
        argv: list[str], expected: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    provider = argv[0].split(".")[0]
    [event] = adapter(provider).decode(json.loads(out))
    decoded = event.to_dict()
    assert {name: decoded[name] for name in expected} == expected


def test_the_printed_sqs_sample_round_trips_through_polyfn_event() -> None:
    def polyfn(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "adapters.cli", *args], input=stdin,
                              cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)

    printed = polyfn("samples", "aws", "sqs", "--set", 'body={"id": 1}')
    assert printed.returncode == 0, printed.stderr
    decoded = polyfn("event", "-", stdin=printed.stdout)
    assert decoded.returncode == 0, decoded.stderr
    [line] = decoded.stdout.splitlines()
    assert json.loads(line)["data"] == {"id": 1}
    assert json.loads(line)["trigger"] == "aws.sqs"


# -- listings ----------------------------------------------------------------------

def test_without_arguments_every_provider_and_trigger_is_listed(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 0
    headers = [line.split()[0] for line in out.splitlines() if not line.startswith(" ")]
    assert headers == list(PROVIDERS)
    listed = {line.split()[0] for line in out.splitlines() if line.startswith(" ")}
    assert listed == {sample.short for sample in ALL_SAMPLES}


def test_a_provider_lists_its_own_samples(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "gcp")
    assert code == 0
    shorts = [line.split()[0] for line in out.splitlines()[1:]]
    assert shorts == [sample.short for sample in samples("gcp")]
    assert "[object: adapters.testing.gcp.http_request]" in out


def test_list_shows_a_triggers_fields_and_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "aws", "sqs", "--list")
    assert code == 0
    fields = {line.split()[0] for line in out.splitlines()[3:]}
    assert {"body", "queue", "message_id", "attributes", "receive_count"} <= fields
    assert '"polyfn-queue"' in out


def test_a_trigger_name_finds_the_first_sample_it_detects() -> None:
    assert find("cloudevent.structured", "gcp").detected_by == "gcp.cloudevent.structured"
    assert find("aws.appsync").name == "aws.appsync"
    assert find("apigw-v2", "aws") is find("aws.apigw.v2")


# -- errors ------------------------------------------------------------------------

@pytest.mark.parametrize(("argv", "needle"), [
    (["ibm"], "unknown provider 'ibm'"),
    (["ibm", "sqs"], "unknown provider 'ibm'"),
    (["aws", "sqsx"], "did you mean sqs?"),
    (["aws.nothing"], "unknown aws sample"),
    (["aws", "sqs", "--set", "nope=1"], "has no field 'nope'"),
    (["aws", "sqs", "--set", "queue"], "--set takes FIELD=VALUE"),
    (["aws", "sqs", "--set", "receive_count=many"], "--set receive_count"),
    (["aws", "scheduled", "--set", "scheduler=maybe"], "expected true or false"),
    (["aws", "mq", "--set", "broker=kafka"], "broker must be one of"),
    (["aws", "--set", "body=x"], "--set needs a TRIGGER"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_bad_input_is_exit_code_2_with_one_line(
        argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert needle in one_error_line(err)


def test_an_unknown_trigger_in_a_shell_is_one_line_and_exit_2() -> None:
    done = subprocess.run([sys.executable, "-m", "adapters.cli", "samples", "azure", "nope"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    one_error_line(done.stderr)
