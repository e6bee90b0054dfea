"""Service Bus, Event Hubs and Event Grid outputs.

Service Bus and Event Hubs have no emulator that runs here (Microsoft's ship only
as containers: ../shared/EMULATORS.md), so these tests stop at the real client
library's message objects: the ``ServiceBusMessage`` / ``EventData`` the driver
builds, then the worker-shaped ``func.ServiceBusMessage`` / ``func.EventHubEvent``
those fields become (tests/support/azure_inputs: azure.functions' converters), decoded by
polyfn. Event Grid is tested on the wire: the real ``EventGridPublisherClient``
POSTs to a local HTTP server, and what arrived is decoded the way the worker does.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

import sdk
from sdk._outputs._message import outgoing
from tests.outputs.azure_events import capture, eventgrid_trigger_inputs
from tests.support import azure_inputs as inputs

#: A Service Bus / Event Hubs connection string for a port nothing listens on.
DEAD = ("Endpoint=sb://127.0.0.1:9;SharedAccessKeyName=RootManageSharedAccessKey;"
        "SharedAccessKey=unused;UseDevelopmentEmulator=true")

PAYLOADS = [
    ({"id": "7", "items": [1, 2]}, "application/json"),
    (["a", 1], "application/json"),
    ("plain text, ünïcode", "text/plain; charset=utf-8"),
    (b"\x00\x01\xffbinary", "application/octet-stream"),
]


@pytest.fixture
def servicebus(monkeypatch: pytest.MonkeyPatch) -> sdk.Destination:
    monkeypatch.setenv("AzureWebJobsServiceBus", DEAD)
    return sdk.destination("servicebus://orders")


def _body(message: Any) -> bytes:
    return b"".join(message.body)


def _servicebus_input(message: Any) -> Any:
    """The ``func.ServiceBusMessage`` the trigger builds for this message once stored."""
    return inputs.servicebus_message(
        _body(message), message_id=message.message_id, content_type=message.content_type,
        application_properties=message.application_properties, subject=message.subject,
        session_id=message.session_id, correlation_id=message.correlation_id,
        reply_to=message.reply_to, to=message.to)


@pytest.mark.parametrize(("data", "content_type"), PAYLOADS, ids=["dict", "list", "text", "bytes"])
def test_servicebus_message_round_trip(servicebus: sdk.Destination, data: Any,
                                       content_type: str) -> None:
    attributes = {"tenant": "a", "correlation_id": "order-7", "reply_to": "replies"}
    message, size = servicebus.driver.prepare(outgoing(
        data, attributes=attributes, key="customer-7", id="m-1", subject="orders/7"))
    assert (message.message_id, message.session_id, message.subject) == (
        "m-1", "customer-7", "orders/7")
    assert message.content_type == content_type
    assert message.correlation_id == "order-7" and message.reply_to == "replies"
    assert message.application_properties == {"tenant": "a"}
    seen, function = capture()
    function(msg=_servicebus_input(message))
    (event,) = seen
    assert event.data == data and type(event.data) is type(data)
    # expires_at is stamped by the service (enqueued time + the entity's TTL)
    assert {k: v for k, v in event.attributes.items() if k != "expires_at"} == attributes
    assert (event.id, event.ordering_key, event.subject) == ("m-1", "customer-7", "orders/7")
    assert event.data_content_type == content_type
    assert size >= len(_body(message))


def test_servicebus_message_ids_and_limits(servicebus: sdk.Destination,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    first, _ = servicebus.driver.prepare(outgoing("a"))
    second, _ = servicebus.driver.prepare(outgoing("a"))
    assert first.message_id and first.message_id != second.message_id
    with pytest.raises(sdk.PublishError, match=r"polyfn\.TooLarge"):
        servicebus.send(b"x" * (256 * 1024 + 1))
    with pytest.raises(sdk.PublishError, match=r"polyfn\.UnsupportedField.*type"):
        servicebus.send("x", type="Order.Placed")
    premium = sdk.destination("servicebus://orders?max_size=1048576")
    assert premium.driver.limits.message_bytes == 1024 * 1024


def test_trace_context_travels_as_application_properties(
        servicebus: sdk.Destination, eventhubs: sdk.Destination) -> None:
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider

    with TracerProvider().get_tracer("test").start_as_current_span("produce") as span:
        traced_sb, _ = servicebus.driver.prepare(outgoing("x", attributes={"a": "b"}))
        (traced_eh, _), _ = eventhubs.driver.prepare(outgoing("x"))
        trace_id = trace.format_trace_id(span.get_span_context().trace_id)
    plain, _ = servicebus.driver.prepare(outgoing("x", attributes={"a": "b"}))
    for properties in (traced_sb.application_properties, traced_eh.properties):
        traceparent = properties["traceparent"]
        assert traceparent.split("-")[1] == trace_id
        assert properties["Diagnostic-Id"] == traceparent
    assert plain.application_properties == {"a": "b"}  # no current span: nothing added


def test_servicebus_connection_failure_is_a_publish_error(servicebus: sdk.Destination) -> None:
    """The real client against a closed port: its error, named, no payload."""
    with pytest.raises(sdk.PublishError) as caught:
        servicebus.send({"card": "4111-1111"})
    error = caught.value
    assert (error.provider, error.code) == ("azure.servicebus", "ServiceBusConnectionError")
    assert error.destination == "servicebus://orders"
    assert "4111" not in str(error)


def test_servicebus_needs_a_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    # sdk.Destination, not sdk.destination: the latter keeps one object (and its
    # connection, read once) per address for the process, as a function would.
    monkeypatch.delenv("AzureWebJobsServiceBus", raising=False)
    with pytest.raises(sdk.ConfigurationError,
                       match="AzureWebJobsServiceBus, AzureWebJobsServiceBus__fully"):
        sdk.Destination("servicebus://orders").send("x")
    monkeypatch.setenv("Bus__fullyQualifiedNamespace", "ns.servicebus.windows.net")
    driver = sdk.Destination("servicebus://orders?connection=Bus").driver
    assert driver.connection.endpoint == "ns.servicebus.windows.net"


# -- Event Hubs -------------------------------------------------------------------


@pytest.fixture
def eventhubs(monkeypatch: pytest.MonkeyPatch) -> sdk.Destination:
    monkeypatch.setenv("Hub", DEAD)
    return sdk.destination("eventhubs://telemetry?connection=Hub")


@pytest.mark.parametrize(("data", "content_type"), PAYLOADS, ids=["dict", "list", "text", "bytes"])
def test_eventhubs_event_round_trip(eventhubs: sdk.Destination, data: Any,
                                    content_type: str) -> None:
    (event_data, key), _ = eventhubs.driver.prepare(outgoing(
        data, attributes={"tenant": "a"}, key="device-7"))
    assert key == "device-7"
    assert event_data.properties == {"tenant": "a"}
    assert event_data.content_type == content_type and event_data.message_id
    seen, function = capture("event")
    function(event=inputs.eventhub_event(_body(event_data), partition_key=key,
                                         properties=event_data.properties,
                                         event_hub_name="telemetry"))
    (event,) = seen
    assert event.data == data and type(event.data) is type(data)
    assert event.attributes == {"tenant": "a", "offset": "0", "consumer_group": "$Default"}
    assert (event.ordering_key, event.topic) == ("device-7", "telemetry")


def test_eventhubs_refuses_what_it_cannot_carry(eventhubs: sdk.Destination) -> None:
    for fields in ({"id": "1"}, {"subject": "s"}, {"type": "t"}):
        with pytest.raises(sdk.PublishError, match=r"polyfn\.UnsupportedField"):
            eventhubs.send("x", **fields)
    with pytest.raises(sdk.PublishError, match=r"polyfn\.TooLarge"):
        eventhubs.send(b"x" * (1024 * 1024 + 1))
    with pytest.raises(sdk.ConfigurationError, match=r"connection=SETTING"):
        sdk.Destination("eventhubs://telemetry").send("x")


# -- Event Grid -------------------------------------------------------------------


class _Topic(BaseHTTPRequestHandler):
    """An Event Grid topic endpoint that records each POST (headers, body)."""

    received: list[tuple[dict[str, str], bytes]]
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(self.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def topic(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, type[_Topic]]]:
    handler = type("Topic", (_Topic,), {"received": []})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("TOPIC_KEY", "k3y")
    try:
        yield f"127.0.0.1:{server.server_port}", handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(("data", "content_type"), PAYLOADS, ids=["dict", "list", "text", "bytes"])
def test_eventgrid_cloudevents_round_trip(topic: tuple[str, type[_Topic]], data: Any,
                                          content_type: str) -> None:
    host, handler = topic
    grid = sdk.destination(f"eventgrid://{host}/api/events?key=TOPIC_KEY")
    sent = grid.send(data, type="Orders.Placed", source="/orders", subject="orders/7",
                     attributes={"tenant": "a"})
    ((headers, body),) = handler.received
    assert headers["aeg-sas-key"] == "k3y"
    assert headers["content-type"].startswith("application/cloudevents-batch+json")
    seen, function = capture("event")
    for item in eventgrid_trigger_inputs(body):
        function(event=item)
    (event,) = seen
    assert event.trigger == "azure.eventgrid.cloudevents"
    assert event.data == data and type(event.data) is type(data)
    assert (event.id, event.type, event.source, event.subject) == (
        sent, "Orders.Placed", "/orders", "orders/7")
    assert event.attributes == {"tenant": "a"}
    assert event.data_content_type == content_type


def test_eventgrid_trace_context_is_an_extension(topic: tuple[str, type[_Topic]]) -> None:
    from opentelemetry.sdk.trace import TracerProvider

    host, handler = topic
    grid = sdk.destination(f"eventgrid://{host}?key=TOPIC_KEY")
    with TracerProvider().get_tracer("test").start_as_current_span("produce"):
        grid.send({"a": 1}, type="T", source="/s")
    ((_, body),) = handler.received
    (event,) = json.loads(body)
    assert event["traceparent"].startswith("00-")


def test_eventgrid_schema_round_trip(topic: tuple[str, type[_Topic]]) -> None:
    host, handler = topic
    grid = sdk.destination(f"eventgrid://{host}?schema=eventgrid&key=TOPIC_KEY")
    result = grid.send_many([
        sdk.Outgoing({"id": 1}, type="Orders.Placed", subject="orders/1", id="e-1"),
        sdk.Outgoing("text", type="Orders.Noted", subject="orders/2",
                     attributes={"data_version": "2.0"}),
    ])
    assert result.ok and result.ids[0] == "e-1"
    ((_, body),) = handler.received  # one POST for the batch
    seen, function = capture("event")
    for item in eventgrid_trigger_inputs(body):
        function(event=item)
    first, second = seen
    assert first.trigger == "azure.eventgrid"
    assert (first.id, first.type, first.subject, first.data) == (
        "e-1", "Orders.Placed", "orders/1", {"id": 1})
    assert first.attributes == {}
    assert (second.data, second.attributes) == ("text", {"data_version": "2.0"})


def test_eventgrid_refusals_and_errors(topic: tuple[str, type[_Topic]]) -> None:
    host, handler = topic
    cloud = sdk.destination(f"eventgrid://{host}?key=TOPIC_KEY")
    grid = sdk.destination(f"eventgrid://{host}?schema=eventgrid&key=TOPIC_KEY")
    with pytest.raises(sdk.PublishError, match=r"polyfn\.MissingField"):
        cloud.send({"a": 1}, type="T")
    with pytest.raises(sdk.PublishError, match=r"polyfn\.InvalidAttribute.*Bad_Name"):
        cloud.send({"a": 1}, type="T", source="/s", attributes={"Bad_Name": "x"})
    with pytest.raises(sdk.PublishError, match=r"polyfn\.InvalidData"):
        grid.send(b"\x00", type="T", subject="s")
    with pytest.raises(sdk.PublishError, match=r"polyfn\.UnsupportedField"):
        grid.send({"a": 1}, type="T", subject="s", source="/s")
    assert handler.received == []
    handler.status = 401
    result = cloud.send_many([sdk.Outgoing({"secret": "pw"}, type="T", source="/s")] * 2)
    # one POST failed whole: both items carry its error (azure-core's class for a 401)
    assert [item.error.code if item.error else None for item in result] == [
        "ClientAuthenticationError"] * 2
    assert "pw" not in str(result.failed[0].error)
