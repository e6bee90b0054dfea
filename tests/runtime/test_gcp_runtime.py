"""The Google Cloud adapter under the REAL functions-framework server.

``gcp_targets/functions.py`` wraps sdk handlers with ``http_function``,
``cloudevent_function`` and ``background_function``; one server per signature type
serves them on loopback. Each invocation records the uniform event and context it
got (``POLYFN_RECORD``), so the tests check both the response and the effect.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import ff_server as ffs
from tests.support.samples import SAMPLES, requires_samples

pytestmark = pytest.mark.runtime

TARGETS = Path(__file__).resolve().parent / "gcp_targets" / "functions.py"


class Server:
    """A running functions-framework and the file its handler records into."""

    def __init__(self, ff: ffs.FunctionsFramework, record: Path) -> None:
        self.ff = ff
        self.record = record
        self.seen = 0

    def last(self) -> dict[str, Any]:
        """The one invocation recorded since the previous call."""
        lines = self.record.read_text(encoding="utf-8").splitlines()
        assert len(lines) == self.seen + 1, "expected exactly one new invocation"
        self.seen = len(lines)
        found: dict[str, Any] = json.loads(lines[-1])
        return found

    def nothing_new(self) -> bool:
        return len(self.record.read_text(encoding="utf-8").splitlines()) == self.seen


def serve(tmp: Path, target: str, signature: str) -> Iterator[Server]:
    record = tmp / f"{target}.jsonl"
    record.touch()
    with ffs.FunctionsFramework(TARGETS, target, signature_type=signature,
                                env={"POLYFN_RECORD": str(record)}) as ff:
        yield Server(ff, record)


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serve(tmp_path_factory.mktemp("gcp_http"), "api", "http")


@pytest.fixture(scope="module")
def cloudevent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serve(tmp_path_factory.mktemp("gcp_ce"), "on_event", "cloudevent")


@pytest.fixture(scope="module")
def legacy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serve(tmp_path_factory.mktemp("gcp_legacy"), "on_legacy", "event")


def problem(response: ffs.HTTPResponse, status: int) -> dict[str, Any]:
    assert response.status == status
    assert response.headers["content-type"] == "application/problem+json"
    doc: dict[str, Any] = response.json()
    return doc


# ------------------------------------------------------------------------- HTTP


def test_http_request_and_response(http: Server) -> None:
    response = http.ff.get("/things?tag=a&tag=b", {
        "Cookie": "sid=abc; theme=light", "X-Forwarded-For": "10.0.0.1, 203.0.113.7",
        "Function-Execution-Id": "exec-http-1",
        "X-Cloud-Trace-Context": "105445aa7843bc8bf206b12000100000/1;o=1"})
    assert response.status == 202
    assert response.json() == {"query": ["a", "b"]}
    assert response.headers["x-multi"] == "a, b"  # two headers, joined by the client
    assert response.headers["set-cookie"] == "sid=1; Path=/; HttpOnly, theme=dark; Path=/"
    seen = http.last()
    event, context = seen["event"], seen["context"]
    assert (event["kind"], event["trigger"], event["method"], event["path"]) == (
        "http", "gcp.http", "GET", "/things")
    assert event["query"] == {"tag": ["a", "b"]}
    assert event["cookies"] == {"sid": "abc", "theme": "light"}
    assert (event["source_ip"], event["id"]) == ("203.0.113.7", "exec-http-1")
    assert (context["request_id"], context["trace_id"]) == (
        "exec-http-1", "105445aa7843bc8bf206b12000100000")
    assert (context["provider"], context["function_name"]) == ("gcp", "api")
    assert seen["raw_type"] == "Request"


def test_http_model_validation(http: Server) -> None:
    created = http.ff.post("/orders", {"id": 7, "item": "pen"})
    assert (created.status, created.json()) == (201, {"id": 7, "item": "pen"})
    assert created.headers["location"] == "/orders/7"
    assert json.loads(http.last()["event"]["body"]) == {"id": 7, "item": "pen"}

    doc = problem(http.ff.post("/orders", {"id": "seven", "note": "private"}), 422)
    assert {tuple(e["loc"]) for e in doc["errors"]} == {("id",), ("item",)}
    assert "private" not in json.dumps(doc)
    http.last()
    problem(http.ff.post("/orders", b"{oops", {"Content-Type": "application/json"}), 400)
    http.last()


def test_http_binary_body(http: Server) -> None:
    payload = bytes(range(256))
    response = http.ff.post("/binary", payload)
    assert (response.status, response.body) == (200, payload[::-1])
    assert response.headers["content-type"] == "application/octet-stream"
    assert http.last()["event"]["body_base64"] == base64.b64encode(payload).decode()


def test_http_handler_error(http: Server) -> None:
    doc = problem(http.ff.post("/boom", {"x": 1}, {"Function-Execution-Id": "exec-boom"}), 500)
    assert "42" not in json.dumps(doc) and "exec-boom" in doc["detail"]
    http.last()
    http.ff.wait_for_output("internal detail 42", stream="stdout")  # in the function's log


# ------------------------------------------------------------------- CloudEvents


STORAGE_OBJECT = {"bucket": "b", "name": "dir/file.txt", "size": "12", "etag": "e1",
                  "contentType": "text/plain", "generation": "3", "kind": "storage#object"}


def test_binary_cloudevent(cloudevent: Server) -> None:
    attributes = {"id": "ce-1", "type": "google.cloud.storage.object.v1.finalized",
                  "source": "//storage.googleapis.com/projects/_/buckets/b",
                  "subject": "objects/dir/file.txt", "time": "2024-03-04T05:06:07.123456789Z"}
    response = cloudevent.ff.send_binary_cloudevent(
        attributes, STORAGE_OBJECT)
    assert response.status == 200
    seen = cloudevent.last()
    event = seen["event"]
    assert (event["kind"], event["trigger"], event["id"]) == ("storage", "gcp.storage", "ce-1")
    assert (event["bucket"], event["key"], event["operation"]) == ("b", "dir/file.txt", "created")
    assert event["time"].startswith("2024-03-04T05:06:07.123456")
    assert seen["context"]["request_id"]  # functions-framework's execution id
    assert seen["raw_type"] == "CloudEvent"


def test_binary_cloudevent_bytes_and_extension(cloudevent: Server) -> None:
    response = cloudevent.ff.send_binary_cloudevent(
        {"id": "ce-2", "type": "com.example.raw", "myext": "v"}, b"\x00\xff")
    assert response.status == 200
    event = cloudevent.last()["event"]
    assert (event["kind"], event["trigger"]) == ("event", "gcp.eventarc")
    assert event["data_base64"] == base64.b64encode(b"\x00\xff").decode()
    assert event["attributes"] == {"myext": "v"}


def test_structured_pubsub_cloudevent(cloudevent: Server) -> None:
    message = ffs.pubsub_message({"n": 1}, {"k": "v"}, message_id="m-1")
    data = {"message": message, "subscription": ffs.DEFAULT_SUBSCRIPTION,
            "deliveryAttempt": 2}
    response = cloudevent.ff.send_structured_cloudevent(
        {"id": "ce-3", "type": "google.cloud.pubsub.topic.v1.messagePublished",
         "source": "//pubsub.googleapis.com/projects/p/topics/t"}, data)
    assert response.status == 200
    seen = cloudevent.last()
    event = seen["event"]
    assert (event["kind"], event["trigger"], event["id"]) == ("message", "gcp.pubsub", "m-1")
    assert (event["data"], event["topic"], event["queue"]) == ({"n": 1}, "t", "s")
    assert seen["context"]["attempt"] == 2


def test_cloudevent_handler_failure_is_a_500(cloudevent: Server) -> None:
    response = cloudevent.ff.send_binary_cloudevent(
        {"id": "ce-4", "type": "com.example.fail", "fail": "yes"}, {"a": 1})
    assert response.status == 500  # functions-framework's crash: the event is retried
    assert response.headers["x-google-status"] == "crash"
    assert cloudevent.last()["event"]["id"] == "ce-4"


def test_raw_pubsub_push_to_a_cloudevent_function(cloudevent: Server) -> None:
    message = ffs.pubsub_message(b"hello", {"k": "v"}, message_id="push-1")
    assert cloudevent.ff.send_pubsub_push(message, path="/projects/p/topics/orders").status == 200
    event = cloudevent.last()["event"]
    assert (event["kind"], event["id"], event["data"]) == ("message", "push-1", "hello")
    assert event["source"] == "//pubsub.googleapis.com/projects/p/topics/orders"


def test_legacy_event_to_a_cloudevent_function(cloudevent: Server) -> None:
    body = ffs.background_event(
        "google.storage.object.finalize",
        {"service": "storage.googleapis.com", "name": "projects/_/buckets/b/objects/dir/file.txt",
         "type": "storage#object"}, STORAGE_OBJECT, event_id="legacy-ce")
    assert cloudevent.ff.send_background_event(body).status == 200
    event = cloudevent.last()["event"]
    assert (event["kind"], event["id"], event["key"]) == ("storage", "legacy-ce", "dir/file.txt")


# ------------------------------------------------------------- 1st-gen (event)


def test_background_event(legacy: Server) -> None:
    message = ffs.pubsub_message({"n": 2}, {"k": "v"}, message_id="bg-1")
    body = ffs.pubsub_background_event(message, "projects/p/topics/t")
    assert legacy.ff.send_background_event(body).status == 200
    seen = legacy.last()
    event, context = seen["event"], seen["context"]
    assert (event["kind"], event["trigger"], event["id"]) == ("message", "gcp.pubsub", "bg-1")
    assert event["type"] == "google.cloud.pubsub.topic.v1.messagePublished"
    assert (event["data"], event["topic"]) == ({"n": 2}, "t")
    assert context["request_id"] and seen["raw_type"] == "dict"


@requires_samples
def test_background_firebase_rtdb_keeps_its_location(legacy: Server) -> None:
    body = json.loads((SAMPLES / "gcp/firebase-rtdb/firebase-db2-legacy-input.json")
                      .read_text(encoding="utf-8"))
    assert legacy.ff.send_background_event(body).status == 200
    event = legacy.last()["event"]
    assert event["type"] == "google.firebase.database.ref.v1.written"
    assert "/locations/europe-west1/" in event["source"]  # from the body's ``domain``


def test_raw_pubsub_push_to_a_background_function(legacy: Server) -> None:
    message = ffs.pubsub_message("text", {"fail": "no"}, message_id="push-2")
    body = {**ffs.pubsub_push(message), "deliveryAttempt": 4}
    assert legacy.ff.post("/projects/p/topics/jobs", body).status == 200
    seen = legacy.last()
    event = seen["event"]
    assert (event["kind"], event["id"], event["data"], event["topic"]) == (
        "message", "push-2", "text", "jobs")
    assert event["attributes"]["subscription"] == ffs.DEFAULT_SUBSCRIPTION
    assert seen["context"]["attempt"] == 4


def test_background_handler_failure_is_a_500(legacy: Server) -> None:
    message = ffs.pubsub_message("x", {"fail": "yes"}, message_id="bg-fail")
    response = legacy.ff.send_background_event(ffs.pubsub_background_event(message))
    assert response.status == 500
    assert legacy.last()["event"]["id"] == "bg-fail"


def test_binary_cloudevent_to_a_background_function(legacy: Server) -> None:
    response = legacy.ff.send_binary_cloudevent(
        {"id": "bin-bg", "type": "google.cloud.storage.object.v1.finalized",
         "source": "//storage.googleapis.com/projects/_/buckets/b",
         "subject": "objects/dir/file.txt"}, STORAGE_OBJECT)
    assert response.status == 200
    event = legacy.last()["event"]
    assert (event["kind"], event["id"], event["bucket"]) == ("storage", "bin-bg", "b")


def test_unconvertible_body_is_rejected_before_the_handler(cloudevent: Server) -> None:
    assert cloudevent.ff.post("/", {"foo": 1}).status == 400
    assert cloudevent.nothing_new()


def test_structured_cloudevent_to_a_background_function(legacy: Server) -> None:
    response = legacy.ff.send_structured_cloudevent(
        {"id": "str-bg", "type": "google.cloud.storage.object.v1.deleted",
         "source": "//storage.googleapis.com/projects/_/buckets/b",
         "subject": "objects/dir/file.txt"}, STORAGE_OBJECT)
    assert response.status == 200
    event = legacy.last()["event"]
    assert (event["kind"], event["id"], event["operation"]) == ("storage", "str-bg", "deleted")
