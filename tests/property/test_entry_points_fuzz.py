"""Bad input never escapes the error contract, at any entry point (issue 11).

Every file under the samples folder, and payloads generated from the keys
providers send, is mutated (tests/support/mutate.py: wrong types at every level,
huge numbers, lone surrogates, NUL bytes, bad header values, bad base64, JSON
5,000 deep, keys deleted and added) and driven through every public entry point
with four handler signatures (tests/support/fuzz_drivers.py says what is
checked): ``adapters.aws.decode``/``lambda_handler``, ``adapters.azure.decode``/
``bind`` on the azure.functions objects the worker builds, ``adapters.gcp.decode``/
``http_function``/``cloudevent_function`` on flask requests and CloudEvents,
``adapters.cloudevents.decode`` and its WSGI/ASGI apps, and ``polyfn event``/
``polyfn invoke``. Each payload has :data:`TIME_LIMIT` seconds.

A failure names the sample and the seed: ``mutate(load(sample), Random(seed))``
is the payload (hypothesis also prints its ``@reproduce_failure`` blob). The
``ci`` profile (tests/property/conftest.py) runs :data:`CI_TOTAL` payloads or more;
the last test checks the count.
"""

from __future__ import annotations

import contextlib
import json
import random
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import seed as fixed_seed
from hypothesis import strategies as st

from tests.support import fuzz_drivers as drive
from tests.support.mutate import KEYS, MARKER, mutate
from tests.support.samples import HAVE_SAMPLES, SAMPLES, load, sample_files, sample_id

from .conftest import FULL, PROFILE

#: Seconds one payload may take through all of its entry points (a hang fails).
TIME_LIMIT = 10.0
#: Payloads the ``ci`` profile must drive through the entry points in total.
CI_TOTAL = 100_000

#: (examples in the quick profile, in the ci profile) per test.
BUDGET = {
    "aws": (100, 16_500), "azure_raw": (20, 1_000), "azure_objects": (150, 6_000),
    "gcp_json": (40, 2_500), "gcp_request": (80, 3_000), "gcp_cloudevent": (80, 4_000),
    "cloudevents_json": (25, 2_000), "cloudevents_http": (80, 2_500), "cli": (30, 1_000),
    "generated": (60, 1_200),
}
#: Payloads per example in the JSON families (seeds seed, seed + 1, ...): what a
#: payload costs there is mostly hypothesis's own bookkeeping per example.
VARIANTS = 4
COUNT = {"payloads": 0, "tests": 0}


#: The ci profile's fixed payload set, per test: the seed hypothesis's ``derandomize``
#: derived from each test's source (the sha384 ``function_digest``) when the set was
#: fixed, pinned so that editing a test's body keeps the set CI gates on.
CI_SEEDS = {
    "aws": "b4acc46603c63decc233479a9c9cf0d3f80f421411530286"
           "1212e4d9a3a98b6cd65fbb859921da20a8e55e9532335c5e",
    "azure_raw": "3a932ea54c1877fcb4b452af3d8e60140d0faf3cc23d459a"
                 "8b6df6da2fb6572630000d91b9777ef0e567ab05fe5a98bf",
    "azure_objects": "bc9f7eeaa69d6ab74811dffe974af26d92dd09da4a4b60e8"
                     "4cad98de417c3988ce7c80f3de8764498b0447f8d50cb4f1",
    "gcp_json": "ba787d7b9bb69ccf7c9a567f7492b99a5e9d89848cb0f53d"
                "67f92da1147af65f2d64be7ca6b9aaa754d4289a7a0363f8",
    "gcp_request": "bed04739d0982e12b82608c292032bf929eda692d88b276e"
                   "0b3b4de640bee73428d53bc662da2a119bd7c1a38564d91f",
    "gcp_cloudevent": "4e9f5c4e9f228a9eab41e2e278a287b707734fd6b67e60cf"
                      "277fc1277bf8f4dd728fb361076bc3762fd14793d8d5f6ce",
    "cloudevents_json": "f9d4d53a83d9a327a1ce8e69c70a99c26172e896b8b3a832"
                        "0a37e60155db6109d66c9934010c2ca671c7c5ff8256053d",
    "cloudevents_http": "ae796fe7aff66576cdfb5bcfdf5ebaf21aca0f4b199f61d1"
                        "7efa49ccb441a62805ab574abdfb9284e1e40b4ba21f5c83",
    "cli": "dbb08314f082e84979988e54657c4a43fb2c2822487d8d1e"
           "b20f118f49ddc396b9e477ac056223055b4b0990c3017463",
    "generated": "15715f7c59c0b414dd14a6521ab7f387c8f69e6b0c10a13a"
                 "34205cfdf01ef307a2348464707d7f99196b00f2b4c15be1",
}


def examples(name: str) -> Callable[[Any], Any]:
    """The test's example count for the profile; in ``ci``, its pinned seed too."""
    quick, ci = BUDGET[name]
    counted = settings(max_examples=ci if FULL else quick)
    if PROFILE != "ci":
        return counted
    pinned = fixed_seed(int(CI_SEEDS[name], 16))
    return lambda test: pinned(counted(test))


class Base:
    """A payload to mutate, named (hypothesis prints the name, not the payload)."""

    __slots__ = ("name", "payload")

    def __init__(self, name: str, payload: Any) -> None:
        self.name = name
        self.payload = payload

    def __repr__(self) -> str:
        return f"Base({self.name!r})"


def _samples(prefix: str, keep: Callable[[Path, Any], bool] = lambda p, v: True) -> list[Base]:
    out = []
    for path in sample_files(f"{prefix}/**/*.json"):
        value = load(path)
        if keep(path, value):
            out.append(Base(sample_id(path), value))
    return out or [Base("no-samples", {})]


def _structured(value: Any) -> bool:
    return isinstance(value, dict) and "specversion" in value


#: Shapes the samples folder lacks: Firehose records from MSK, Kafka headers in
#: Java's signed bytes.
EXTRA_AWS = [
    Base("extra/firehose-msk", {
        "invocationId": "i-1", "deliveryStreamArn": "arn:aws:firehose:us-east-1:1:ds/s",
        "sourceMSKArn": "arn:aws:kafka:us-east-1:1:cluster/c/1", "region": "us-east-1",
        "records": [{"recordId": "r1", "approximateArrivalTimestamp": 1716369573887,
                     "mskRecordMetadata": {"offset": "0", "partitionId": "1",
                                           "approximateArrivalTimestamp": 1716369573887},
                     "kafkaRecordValue": "eyJpZCI6IDF9"}]}),
    Base("extra/kafka-signed-headers", {
        "eventSource": "aws:kafka", "eventSourceArn": "arn:aws:kafka:us-east-1:1:cluster/c/1",
        "records": {"t-0": [{"topic": "t", "partition": 0, "offset": 5,
                             "timestamp": 1716369573887, "timestampType": "CREATE_TIME",
                             "key": "aw==", "value": "eyJpZCI6IDF9",
                             "headers": [{"note": [-61, -87, 104]}]}]}}),
]
AWS = _samples("aws") + EXTRA_AWS
AZURE_RAW = _samples("azure")
GCP = _samples("gcp")
CLOUDEVENTS = ([b for b in GCP + AZURE_RAW if _structured(b.payload)]
               + [Base(f"{b.name}[0]", b.payload[0]) for b in AZURE_RAW
                  if isinstance(b.payload, list) and b.payload and _structured(b.payload[0])])
EVENT_GRID_ITEMS = [Base(f"{b.name}[{i}]", item) for b in AZURE_RAW
                    for i, item in enumerate(b.payload if isinstance(b.payload, list)
                                             else [b.payload])
                    if isinstance(item, dict) and "eventType" in item]


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail a payload that takes longer than ``seconds`` (a hang, a quadratic blow-up)."""

    def expired(signum: int, frame: Any) -> None:
        raise TimeoutError(f"a payload took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_CURRENT: list[drive.Judge] = []


@pytest.fixture(scope="module", autouse=True)
def _record_logs() -> Iterator[None]:
    with drive.recording(lambda: _CURRENT[0] if _CURRENT else None):
        yield


def run(label: str, seed: int, call: Callable[[drive.Judge], None]) -> None:
    judge = drive.Judge(label)
    _CURRENT[:] = [judge]
    try:
        with time_limit(TIME_LIMIT):
            call(judge)
    finally:
        _CURRENT[:] = []
    COUNT["payloads"] += 1
    assert not judge.problems, (
        f"{label}, seed {seed} (replay: mutate(<the payload>, random.Random({seed}))):\n  "
        + "\n  ".join(judge.problems[:8]))


def variants(base: Base, first: int, entry: Callable[[drive.Judge, Any], None],
             shape: Callable[[Any], Any] = lambda payload: payload) -> None:
    """One example of a JSON family: :data:`VARIANTS` payloads, ``base`` mutated by
    ``first``, ``first + 1``, ... (each seed names its own payload in a failure),
    each ``shape``d and driven through ``entry``."""
    for each in ((first + k) % 2**32 for k in range(VARIANTS)):
        sent = shape(mutated(base, each))
        run(base.name, each, lambda judge, raw=sent: entry(judge, raw))


def mutated(base: Base, seed: int) -> Any:
    """The base payload mutated by ``seed``; one seed in 16 keeps it as it is (valid
    samples must pass through every entry point too)."""
    if seed % 16 == 0:
        return json.loads(json.dumps(base.payload))
    return mutate(base.payload, random.Random(seed))


seeds = st.integers(0, 2**32 - 1)


# -- AWS ---------------------------------------------------------------------------------

@examples("aws")
@given(base=st.sampled_from(AWS), seed=seeds)
def test_aws(base: Base, seed: int) -> None:
    variants(base, seed, drive.aws)


# -- Azure --------------------------------------------------------------------------------

@examples("azure_raw")
@given(base=st.sampled_from(AZURE_RAW), seed=seeds)
def test_azure_raw(base: Base, seed: int) -> None:
    variants(base, seed, drive.azure_object)


def _azure_builders() -> dict[str, Callable[[Any], Any]]:
    from tests.support import azure_inputs as ai

    def body(spec: dict[str, Any]) -> Any:
        value = spec.get("body")
        return value if isinstance(value, (str, bytes)) else json.dumps(value)

    def mapping(value: Any) -> dict[str, Any]:
        return value if isinstance(value, dict) else {}

    return {
        "http": lambda s: ai.http_request(str(s.get("method")), str(s.get("url")),
                                          headers=mapping(s.get("headers")), body=body(s)),
        "queue": lambda s: ai.queue_message(body(s)),
        "servicebus": lambda s: ai.servicebus_message(
            body(s), application_properties=mapping(s.get("headers")),
            content_type=s.get("content_type")),
        "eventhub": lambda s: ai.eventhub_event(body(s), properties=mapping(s.get("headers"))),
        "eventgrid": lambda s: ai.eventgrid_event(s.get("body")),
        "cosmos": lambda s: ai.cosmos_documents(s.get("body")),
        "blob": lambda s: ai.blob_stream(body(s), properties=mapping(s.get("headers"))),
    }


def _azure_spec(kind: str, body: Any) -> dict[str, Any]:
    return {"kind": kind, "method": "POST", "url": "https://app.azurewebsites.net/api/orders?x=1",
            "headers": {"content-type": "application/json", "x-note": MARKER,
                        "cookie": "a=b"}, "content_type": "application/json", "body": body}


AZURE_OBJECTS = (
    [Base(f"azure.http<{b.name}>", _azure_spec("http", b.payload)) for b in AWS[:20]]
    + [Base(f"azure.{k}<{b.name}>", _azure_spec(k, b.payload)) for k in
       ("queue", "servicebus", "eventhub", "blob") for b in AZURE_RAW]
    + [Base(f"azure.eventgrid<{b.name}>", _azure_spec("eventgrid", b.payload))
       for b in EVENT_GRID_ITEMS]
    + [Base(f"azure.cosmos<{b.name}>", _azure_spec("cosmos", b.payload)) for b in AZURE_RAW
       if "cosmos" in b.name]
)


@examples("azure_objects")
@given(base=st.sampled_from(AZURE_OBJECTS), seed=seeds)
def test_azure_objects(base: Base, seed: int) -> None:
    spec = mutated(base, seed)
    try:
        native = _azure_builders()[base.payload["kind"]](spec)
    except Exception:  # the worker could not have built this object either
        native = None
    if native is None:
        return
    run(base.name, seed, lambda judge: drive.azure_object(judge, native))


# -- Google Cloud ---------------------------------------------------------------------------

@examples("gcp_json")
@given(base=st.sampled_from(GCP), seed=seeds)
def test_gcp_json(base: Base, seed: int) -> None:
    variants(base, seed, drive.gcp_json)


REQUESTS = [Base(f"gcp.http<{b.name}>", {
    "method": "POST", "path": "/orders/7", "query": {"x": "1", "note": MARKER},
    "headers": {"content-type": "application/json", "x-note": MARKER,
                "X-CloudScheduler": "true", "X-CloudScheduler-ScheduleTime":
                "2024-05-01T12:00:00Z", "X-Forwarded-For": "203.0.113.9"},
    "body": b.payload}) for b in GCP[:30] + AWS[:10]]


@examples("gcp_request")
@given(base=st.sampled_from(REQUESTS), seed=seeds)
def test_gcp_request(base: Base, seed: int) -> None:
    from adapters.testing.gcp import http_request

    spec = mutated(base, seed)
    try:
        body = spec.get("body")
        request = http_request(str(spec.get("method")), str(spec.get("path")),
                               body if isinstance(body, str) else json.dumps(body),
                               headers=spec.get("headers"), query=spec.get("query"))
    except Exception:  # werkzeug refuses to build it: no server would hand it over
        return
    run(base.name, seed, lambda judge: drive.gcp_request(judge, request))


@examples("gcp_cloudevent")
@given(base=st.sampled_from(CLOUDEVENTS), seed=seeds)
def test_gcp_cloudevent(base: Base, seed: int) -> None:
    from cloudevents.http import CloudEvent

    payload = mutated(base, seed)
    try:
        attributes = {k: v for k, v in payload.items() if k not in ("data", "data_base64")}
        cloudevent = CloudEvent(attributes, payload.get("data"))
    except Exception:  # the cloudevents library refuses it: functions-framework would too
        return
    run(base.name, seed, lambda judge: drive.gcp_cloudevent(judge, cloudevent))


# -- CloudEvents -----------------------------------------------------------------------------

@examples("cloudevents_json")
@given(base=st.sampled_from(CLOUDEVENTS), seed=seeds, as_batch=st.booleans())
def test_cloudevents_json(base: Base, seed: int, as_batch: bool) -> None:
    variants(base, seed, drive.cloudevents_json,
             (lambda payload: [payload, payload]) if as_batch else (lambda payload: payload))


def _http_form(payload: Any, binary: bool) -> tuple[list[tuple[str, str]], bytes]:
    """A structured CloudEvent as a request: binary mode (ce-* headers) or structured."""
    if not binary or not isinstance(payload, dict):
        text = json.dumps(payload, ensure_ascii=False).encode("utf-8", "surrogatepass")
        return [("content-type", "application/cloudevents+json")], text
    headers = [(f"ce-{k}", v if isinstance(v, str) else json.dumps(v))
               for k, v in payload.items() if k not in ("data", "data_base64",
                                                        "datacontenttype")]
    headers.append(("content-type", str(payload.get("datacontenttype", "application/json"))))
    data = payload.get("data")
    body = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return headers, body.encode("utf-8", "surrogatepass")


@examples("cloudevents_http")
@given(base=st.sampled_from(CLOUDEVENTS), seed=seeds, binary=st.booleans())
def test_cloudevents_http(base: Base, seed: int, binary: bool) -> None:
    payload = mutated(base, seed)
    try:
        headers, body = _http_form(payload, binary)
        for name, value in headers:
            (name + value).encode("latin-1")  # what an HTTP server can hand over
    except (UnicodeError, ValueError, RecursionError):
        return
    run(base.name, seed, lambda judge: drive.cloudevents_http(judge, headers, body))


# -- the CLI -----------------------------------------------------------------------------------

CLI = [Base(b.name, (provider, b.payload)) for provider, group in
       (("aws", AWS), ("gcp", GCP), ("azure", AZURE_RAW)) for b in group]


@examples("cli")
@given(base=st.sampled_from(CLI), seed=seeds)
def test_cli(base: Base, seed: int) -> None:
    provider, payload = base.payload
    document = mutated(Base(base.name, payload), seed)
    try:
        text = json.dumps(document).encode("utf-8")
    except (ValueError, RecursionError):
        return
    run(base.name, seed, lambda judge: drive.cli(judge, text, provider))


# -- generated payloads (the keys providers send, any shape) -----------------------------------

SOURCES = ["aws:sqs", "aws:sns", "aws:s3", "aws:kinesis", "aws:dynamodb", "aws:kafka",
           "aws:SelfManagedKafka", "aws:amq", "aws:rmq", "aws.events", "Scheduled Event",
           "1.0", "2.0", "0.3", "$default", "GET"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                    st.sampled_from(SOURCES), st.text(max_size=12), st.just(MARKER))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)),
    max_leaves=12)
generated = st.one_of(st.dictionaries(st.sampled_from(KEYS), values, max_size=6),
                      st.lists(st.dictionaries(st.sampled_from(KEYS), values, max_size=4),
                               max_size=3))


@examples("generated")
@given(raw=generated, seed=seeds)
def test_generated(raw: Any, seed: int) -> None:
    """Arbitrary JSON built from the keys providers send, through every provider's
    JSON entry points (the former test_detect_fuzz, with the full contract)."""
    payload = mutate(raw, random.Random(seed)) if seed % 2 else raw

    def call(judge: drive.Judge) -> None:
        drive.aws(judge, payload)
        drive.azure_object(judge, payload)
        drive.gcp_json(judge, payload)
        drive.cloudevents_json(judge, payload)

    run("generated", seed, call)


def test_the_payload_count() -> None:
    """The ci profile drove at least CI_TOTAL payloads (pytest runs this module's
    tests in order; a partial run, -k, says so and checks nothing)."""
    ran = COUNT["payloads"]
    print(f"\nfuzz: {ran} payloads through the entry points (profile {PROFILE})")
    if not FULL:
        pytest.skip(f"profile {PROFILE}: {ran} payloads (the ci profile runs {CI_TOTAL}+)")
    if not HAVE_SAMPLES:
        pytest.fail(f"no samples at {SAMPLES}")
    assert ran >= CI_TOTAL


# -- the suite can fail ------------------------------------------------------------------------

def test_the_judge_reports_each_kind_of_problem() -> None:
    from sdk.errors import ConfigurationError, EventDecodeError

    judge = drive.Judge("meta")
    with judge.watch("raises"):
        raise TypeError("x")
    with judge.watch("leaks"):
        raise EventDecodeError("aws.sqs", f"bad {MARKER}")
    with judge.watch("500"):
        judge.check_status("500", 500, "application/problem+json", b"")
    with judge.watch("plain 400"):
        judge.check_status("plain 400", 400, "text/plain", b"")
    with judge.watch("fine"):
        judge.logged.append(ConfigurationError("h takes http events, but x delivers y"))
        judge.check_status("fine", 500, "application/problem+json", b"")
    assert [p.split(":")[0] for p in judge.problems] == ["raises", "leaks", "500", "plain 400"]


def test_a_regression_would_be_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the shared guard, a known-bad payload escapes as a TypeError and the
    drivers say so."""
    import adapters._batch
    import adapters._trigger
    from adapters.testing import aws

    raw = aws.sqs({"id": 1})
    raw["Records"][0]["messageAttributes"] = [1]  # a list where an object is expected
    for module, name in ((adapters._trigger, "MALFORMED"), (adapters._batch, "MALFORMED"),
                         (adapters._batch, "_MALFORMED")):
        monkeypatch.setattr(module, name, ())  # ``except ():`` catches nothing
    judge = drive.Judge("regression")
    _CURRENT[:] = [judge]
    try:
        drive.aws(judge, raw)
    finally:
        _CURRENT[:] = []
    assert any("escaped AttributeError" in p for p in judge.problems), judge.problems
