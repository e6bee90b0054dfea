"""Azure Functions invocations as spans: the parent is the invocation's trace
context; Service Bus / Event Hubs messages link their producers (Diagnostic-Id)."""

from __future__ import annotations

import json
import logging
from typing import Any

import azure.functions as func
import pytest
from opentelemetry.trace import SpanKind, StatusCode

from adapters.azure import _route as azure_route
from adapters.azure import bind
from adapters.testing import azure
from sdk import Message
from tests.tracing.test_aws import trace_ids
from tests.unit.test_azure_http import WorkerContext


def ignore(event: Any) -> dict[str, int]:
    return {"ok": 1}


INVOCATION_TRACE = "0af7651916cd43dd8448eb211c80319c"  # WorkerContext's traceparent
PRODUCER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def test_http_is_a_server_span_child_of_the_invocation_context(spans: Any) -> None:
    function = bind(ignore)
    function(azure.http_request("PUT", "https://app.azurewebsites.net/api/items/4"),
             WorkerContext("inv-9", "items"))
    (span,) = spans.all
    assert span.kind is SpanKind.SERVER
    assert span.attributes["cloud.provider"] == "azure"
    assert span.attributes["faas.invocation_id"] == "inv-9"
    assert span.attributes["faas.name"] == "items"
    assert span.attributes["http.request.method"] == "PUT"
    assert span.attributes["url.path"] == "/api/items/4"
    assert span.attributes["http.response.status_code"] == 200
    assert f"{span.context.trace_id:032x}" == INVOCATION_TRACE
    assert span.parent is not None and span.parent.span_id == 0xb7ad6b7169203331


def test_http_5xx_is_an_error(spans: Any) -> None:
    def fail(request: Any) -> None:
        raise KeyError("x")

    bind(fail)(azure.http_request(), WorkerContext())
    (span,) = spans.all
    assert span.status.status_code is StatusCode.ERROR


def test_servicebus_message_links_its_diagnostic_id(spans: Any) -> None:
    bind(ignore, "msg")(
        azure.servicebus_message("x", message_id="sb-1",
                                 application_properties={"Diagnostic-Id": PRODUCER}),
        WorkerContext())
    root = spans.root()
    assert root.kind is SpanKind.CONSUMER
    assert root.attributes["messaging.system"] == "servicebus"
    (record,) = spans.children(root)
    assert record.attributes["messaging.message.id"] == "sb-1"
    assert trace_ids(record) == [PRODUCER.split("-")[1]]


def test_eventhubs_batch_a_child_per_event_failure_marked(spans: Any) -> None:
    def handle(message: Message) -> None:
        if message.data == "bad":
            raise ValueError("bad")

    with pytest.raises(ValueError):
        bind(handle, "events")(
            azure.eventhub_batch(["ok", "bad"],
                                 properties=[{"traceparent": PRODUCER}, {}]),
            WorkerContext())
    root = spans.root()
    assert root.attributes["messaging.system"] == "eventhubs"
    assert root.attributes["messaging.batch.message_count"] == 2
    assert root.status.status_code is StatusCode.ERROR  # FAIL policy: the invocation fails
    ok, bad = spans.children(root)
    assert len(ok.links) == 1 and not bad.links
    assert bad.status.status_code is StatusCode.ERROR
    assert bad.events[0].attributes["exception.type"] == "ValueError"


@pytest.mark.parametrize(("native", "arg", "faas"), [
    (azure.queue_message("x"), "msg", "pubsub"),
    (azure.timer_request(), "timer", "timer"),
    (azure.blob_stream(b"x"), "blob", "datasource"),
    (azure.cosmos_documents([{"id": "1"}]), "docs", "datasource"),
    (azure.eventgrid_event(azure.eventgrid()[0]), "event", "pubsub"),
])
def test_other_triggers(spans: Any, native: Any, arg: str, faas: str) -> None:
    bind(ignore, arg)(native, WorkerContext())
    span = spans.root()
    assert span.attributes["faas.trigger"] == faas
    assert f"{span.context.trace_id:032x}" == INVOCATION_TRACE


def test_log_lines_carry_the_operation_id(caplog: Any) -> None:
    """Without OpenTelemetry too: the invocation's trace id is the operation id."""

    def handle(message: Message, context: Any) -> None:
        context.logger.info("hello")

    with caplog.at_level(logging.INFO, logger="polyfn"):
        bind(handle, "msg")(azure.queue_message("x"), WorkerContext())
    line = json.loads(caplog.records[-1].getMessage())
    assert line["operation_Id"] == INVOCATION_TRACE
    assert "span_id" not in line


def test_log_lines_carry_the_span_while_tracing(spans: Any, caplog: Any) -> None:
    def handle(message: Message, context: Any) -> None:
        context.logger.info("hello")

    with caplog.at_level(logging.INFO, logger="polyfn"):
        bind(handle, "msg")(azure.queue_message("x"), WorkerContext())
    line = json.loads(caplog.records[-1].getMessage())
    record = spans.all[0]  # the record's span was current
    assert line["trace_id"] == INVOCATION_TRACE
    assert line["span_id"] == f"{record.context.span_id:016x}"


#: Module globals, as in a function_app.py: where the route template is found.
app = func.FunctionApp()
app.route(route="items/{id:int}", methods=["GET"])(bind(ignore, name="get_item"))
app.route()(bind(ignore, name="ping"))
FUNCTIONS = {f.get_function_name(): f.get_user_function() for f in app.get_functions()}


@pytest.mark.parametrize(("prefix", "function", "route"), [
    (None, "get_item", "/api/items/{id:int}"),
    ("", "get_item", "/items/{id:int}"),
    ("v1/", "ping", "/v1/ping"),  # no route: the function's name
    (None, "not_in_any_app", None),
])
def test_http_route_is_the_binding_template_under_the_prefix(
        spans: Any, monkeypatch: Any, prefix: str | None, function: str,
        route: str | None) -> None:
    azure_route._ROUTES.clear()  # read once per function: here once per case
    if prefix is not None:
        monkeypatch.setenv("POLYFN_AZURE_ROUTE_PREFIX", prefix)
    target = FUNCTIONS.get(function, bind(ignore))
    target(azure.http_request("GET", "https://app.azurewebsites.net/api/items/4"),
           WorkerContext("inv-1", function))
    (span,) = spans.all
    assert span.attributes.get("http.route") == route
    assert span.name == (f"GET {route}" if route else "GET")
