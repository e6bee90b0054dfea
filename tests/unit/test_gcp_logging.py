"""Google Cloud: log lines carry Cloud Logging's trace fields; a failed CloudEvent
leaves one polyfn line; legacy ``object.change`` notifications say what changed."""

from __future__ import annotations

import copy
import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

import sdk
from adapters.gcp import cloudevent_function, decode, http_function
from adapters.gcp._cloudevent import cloudevent_object
from adapters.gcp._context import metadata_project, trace_context
from adapters.testing import gcp
from sdk import Context, Message
from sdk._log import use_gcp_project

TRACE = "0af7651916cd43dd8448eb211c80319c"
_PROJECT_VARIABLES = ("GOOGLE_CLOUD_PROJECT", "GCP_PROJECT", "GCLOUD_PROJECT", "K_SERVICE",
                      "GCE_METADATA_HOST")


@pytest.fixture(autouse=True)
def _fresh_project(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in _PROJECT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    use_gcp_project(metadata_project)  # forget what an earlier test found
    yield
    use_gcp_project(metadata_project)


def _lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]


def _logging_handler(request: sdk.HTTPRequest[Any], context: Context) -> None:
    context.logger.info("hello")


@pytest.mark.parametrize(("header", "value", "span", "sampled"), [
    ("X-Cloud-Trace-Context", f"{TRACE}/42;o=1", "000000000000002a", True),
    ("X-Cloud-Trace-Context", f"{TRACE}/18446744073709551615;o=0", "ffffffffffffffff", False),
    ("X-Cloud-Trace-Context", f"{TRACE}/7", "0000000000000007", None),
    ("traceparent", f"00-{TRACE}-00f067aa0ba902b7-01", "00f067aa0ba902b7", True),
    ("traceparent", f"00-{TRACE}-00f067aa0ba902b7-00", "00f067aa0ba902b7", False),
])
def test_trace_fields(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                      header: str, value: str, span: str, sampled: bool | None) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "orders-prod")
    http_function(_logging_handler)(gcp.http_request(headers={header: value}))
    (line,) = _lines(capsys)
    assert line["logging.googleapis.com/trace"] == f"projects/orders-prod/traces/{TRACE}"
    assert line["logging.googleapis.com/spanId"] == span
    if sampled is None:
        assert "logging.googleapis.com/trace_sampled" not in line
    else:
        assert line["logging.googleapis.com/trace_sampled"] is sampled


@pytest.mark.parametrize("variable", ["GCP_PROJECT", "GCLOUD_PROJECT"])
def test_other_project_variables(capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, "legacy-project")
    Context(provider="gcp", trace_id=TRACE).logger.info("x")
    (line,) = _lines(capsys)
    assert line["logging.googleapis.com/trace"] == f"projects/legacy-project/traces/{TRACE}"


def test_without_a_project_the_bare_id_is_a_plain_field(capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    Context(provider="gcp", trace_id=TRACE, span_id="00f067aa0ba902b7").logger.info("x")
    (line,) = _lines(capsys)
    assert line["trace_id"] == TRACE
    assert not any(key.startswith("logging.googleapis.com/") for key in line)


class _Metadata(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        ok = (self.path == "/computeMetadata/v1/project/project-id"
              and self.headers.get("Metadata-Flavor") == "Google")
        body = b"from-metadata" if ok else b""
        self.send_response(200 if ok else 403)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def metadata_server() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Metadata)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_project_from_the_metadata_server_once(capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch,
                                               metadata_server: str) -> None:
    monkeypatch.setenv("K_SERVICE", "orders")  # on Cloud Run: no project variable
    monkeypatch.setenv("GCE_METADATA_HOST", metadata_server)
    _Metadata.hits = 0
    logger = Context(provider="gcp", trace_id=TRACE).logger
    logger.info("one")
    logger.info("two")
    first, second = _lines(capsys)
    assert first["logging.googleapis.com/trace"] == f"projects/from-metadata/traces/{TRACE}"
    assert second["logging.googleapis.com/trace"] == first["logging.googleapis.com/trace"]
    assert _Metadata.hits == 1


def test_off_google_cloud_the_metadata_server_is_not_asked(monkeypatch: pytest.MonkeyPatch,
                                                          metadata_server: str) -> None:
    monkeypatch.setenv("GCE_METADATA_HOST", metadata_server)  # but no K_SERVICE
    _Metadata.hits = 0
    assert metadata_project() is None and _Metadata.hits == 0


def test_trace_context_refuses_malformed_headers() -> None:
    assert trace_context({"X-Cloud-Trace-Context": f"{TRACE}/not-a-number;o=x"}) == {
        "trace": TRACE, "span": None, "sampled": None}
    assert trace_context({"traceparent": "00-short-span-01"}) == {
        "trace": None, "span": None, "sampled": None}


# ------------------------------------------------------------ failure line


def test_a_failed_cloudevent_leaves_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    def handle(message: Message[Any]) -> None:
        raise RuntimeError("handler's own text")

    structured = gcp.pubsub({"n": 1}, message_id="m-42")
    attributes = {k: v for k, v in structured.items() if k != "data"}
    with pytest.raises(RuntimeError):
        cloudevent_function(handle)(cloudevent_object(attributes, structured["data"]))
    (line,) = _lines(capsys)
    assert (line["severity"], line["message"], line["trigger"], line["record"]) == (
        "ERROR", "record failed", "gcp.pubsub", "m-42")
    assert line["error_type"] == "RuntimeError" and line["stack"]


# ------------------------------------------------------- legacy object.change


def _object_change(state: str, metageneration: str = "1", *, flat: bool = False,
                   event_type: str = "providers/cloud.storage/eventTypes/object.change"
                   ) -> dict[str, Any]:
    data = {"kind": "storage#object", "bucket": "uploads", "name": "a/b.txt", "size": "5",
            "generation": "1714521600000000", "metageneration": metageneration,
            "resourceState": state, "contentType": "text/plain"}
    context = {"eventId": "1147091835525187", "timestamp": "2024-05-01T00:00:00.000Z",
               "eventType": event_type, "resource": "projects/_/buckets/uploads/objects/a/b.txt"}
    return {**context, "data": data} if flat else {"context": context, "data": data}


@pytest.mark.parametrize(("state", "metageneration", "operation", "ce_type"), [
    ("not_exists", "1", "deleted", "deleted"),
    ("not_exists", "4", "deleted", "deleted"),
    ("exists", "1", "created", "finalized"),
    ("exists", "2", "metadata_updated", "metadataUpdated"),
])
@pytest.mark.parametrize("flat", [False, True])
@pytest.mark.parametrize("event_type", ["providers/cloud.storage/eventTypes/object.change",
                                        "google.storage.object.change"])
def test_object_change(state: str, metageneration: str, operation: str, ce_type: str,
                       flat: bool, event_type: str) -> None:
    raw = _object_change(state, metageneration, flat=flat, event_type=event_type)
    sent = copy.deepcopy(raw)
    (event,) = decode(raw)
    assert (event.kind, event.operation, event.bucket, event.key) == (
        "storage", operation, "uploads", "a/b.txt")
    assert event.type == f"google.cloud.storage.object.v1.{ce_type}"
    assert event.raw == sent == raw  # the payload is left as it came


def test_object_change_reaches_a_storage_handler() -> None:
    from adapters.gcp import background_function

    seen: list[str | None] = []

    def handle(event: sdk.StorageEvent[Any]) -> None:
        seen.append(event.operation)

    raw = _object_change("not_exists")
    background_function(handle)(raw["data"], _LegacyContext(raw["context"]))
    assert seen == ["deleted"]


class _LegacyContext:
    """What functions-framework passes a background function as ``context``."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.event_id = context["eventId"]
        self.timestamp = context["timestamp"]
        self.event_type = context["eventType"]
        self.resource = context["resource"]
