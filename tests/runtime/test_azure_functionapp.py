"""bind() under every trigger decorator of a real ``func.FunctionApp``, indexed and invoked
the way the Python worker does it.

The worker itself cannot run here: ``azure-functions-runtime`` (the library half of
today's worker, whose ``Registry.add_indexed_function`` validates an app) requires
Python >= 3.13, its predecessor ``azure-functions-worker`` last shipped in 2020, and
neither invokes a function without the Functions host's gRPC channel. So:

* indexing goes through ``app.get_functions()`` and is checked against the rules the
  worker applies (``worker_index`` below, transcribed from azure-functions-runtime
  ``functions.py``); when ``azure_functions_runtime`` is importable (e.g. installed
  with ``--ignore-requires-python --no-deps``) its real ``Registry`` checks it too;
* invocation calls each indexed function's user function with the keyword
  arguments the worker passes, inputs built by the worker's own converters, and
  encodes HTTP results with the converter the worker uses for ``$return``.
"""

from __future__ import annotations

import inspect
import json
import typing
from typing import Any

import azure.functions as func
import pytest
from azure.functions.http import HttpResponseConverter

from adapters.azure import bind
from sdk import Change, Context, Event, HTTPRequest, Message, Response, Schedule, StorageEvent
from tests.support import azure_inputs as ai
from tests.unit.test_azure_http import WorkerContext

SEEN: list[tuple[str, Any]] = []


def hello(request: HTTPRequest, context: Context) -> Response:
    return Response({"hello": request.query.get("name"), "id": request.path_params.get("id"),
                     "invocation": context.request_id}, status=201,
                    headers=[("Cache-Control", "no-store"), ("Vary", "Accept"),
                             ("Vary", "Origin")],
                    cookies=["a=1; Path=/", "b=2; Max-Age=60; HttpOnly"])


def on_message(message: Message) -> None:
    SEEN.append((message.trigger, message.data))
    if message.data == "fail":
        raise RuntimeError("handler failed")


def on_storage(event: StorageEvent) -> None:
    SEEN.append((event.trigger, (event.bucket, event.key, event.operation)))


def on_schedule(event: Schedule) -> None:
    SEEN.append((event.trigger, event.past_due))


def on_change(change: Change) -> None:
    SEEN.append((change.trigger, change.keys))


def on_event(event: Event) -> None:
    SEEN.append((event.trigger, event.type))


def build_app() -> func.FunctionApp:
    app = func.FunctionApp(http_auth_level=func.AuthLevel.FUNCTION)
    app.route(route="items/{id}", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)(
        bind(hello))
    app.queue_trigger(arg_name="msg", queue_name="orders", connection="Storage")(
        bind(on_message, "msg", name="orders"))
    app.service_bus_queue_trigger(arg_name="msg", queue_name="jobs", connection="SB")(
        bind(on_message, "msg", name="jobs"))
    app.service_bus_topic_trigger(arg_name="msgs", topic_name="news", subscription_name="all",
                                  connection="SB", cardinality=func.Cardinality.MANY)(
        bind(on_message, "msgs", name="news"))
    app.event_hub_message_trigger(arg_name="event", event_hub_name="hub", connection="EH")(
        bind(on_message, "event", name="telemetry"))
    app.retry(strategy="fixed_delay", max_retry_count="3", delay_interval="00:00:05")(
        app.event_hub_message_trigger(arg_name="events", event_hub_name="hub", connection="EH",
                                      cardinality=func.Cardinality.MANY)(
            bind(on_message, "events", name="telemetry_batch")))
    app.blob_trigger(arg_name="blob", path="uploads/{name}", connection="Storage")(
        bind(on_storage, "blob", name="uploads"))
    app.timer_trigger(arg_name="timer", schedule="0 */5 * * * *")(
        bind(on_schedule, "timer", name="every5"))
    app.event_grid_trigger(arg_name="event")(bind(on_event, "event", name="grid"))
    app.cosmos_db_trigger(arg_name="docs", connection="Cosmos", database_name="shop",
                          container_name="orders")(
        bind(on_change, "docs", name="orders_feed", partition_key="/customer"))
    return app


#: function name -> (trigger binding type, trigger arg_name)
EXPECTED = {
    "hello": ("httpTrigger", "req"), "orders": ("queueTrigger", "msg"),
    "jobs": ("serviceBusTrigger", "msg"), "news": ("serviceBusTrigger", "msgs"),
    "telemetry": ("eventHubTrigger", "event"), "telemetry_batch": ("eventHubTrigger", "events"),
    "uploads": ("blobTrigger", "blob"), "every5": ("timerTrigger", "timer"),
    "grid": ("eventGridTrigger", "event"), "orders_feed": ("cosmosDBTrigger", "docs"),
}


@pytest.fixture(scope="module")
def functions() -> dict[str, func.Function]:
    return {f.get_function_name(): f for f in build_app().get_functions()}


def test_function_json(functions: dict[str, func.Function]) -> None:
    assert set(functions) == set(EXPECTED)
    for name, (binding_type, arg_name) in EXPECTED.items():
        trigger = functions[name].get_trigger()
        assert trigger is not None
        assert (trigger.type, trigger.name) == (binding_type, arg_name)
    hello_json = json.loads(functions["hello"].get_function_json())
    assert hello_json["bindings"] == [
        {"direction": "IN", "type": "httpTrigger", "name": "req", "methods": ["GET"],
         "authLevel": "ANONYMOUS", "route": "items/{id}"},
        {"direction": "OUT", "type": "http", "name": "$return"}]
    raw = [json.loads(b) for b in functions["telemetry_batch"].get_raw_bindings()]
    assert raw == [{"direction": "IN", "type": "eventHubTrigger", "name": "events",
                    "connection": "EH", "eventHubName": "hub", "cardinality": "MANY"}]
    assert functions["telemetry_batch"].get_settings_dict("retry_policy") == {
        "setting_name": "retry_policy", "strategy": "fixed_delay", "max_retry_count": "3",
        "delay_interval": "00:00:05"}


def worker_index(function: func.Function) -> dict[str, Any]:
    """The checks of azure-functions-runtime ``Registry.add_indexed_function`` that a
    function without annotations meets or fails; raises AssertionError on a failure."""
    user = function.get_user_function()
    params = dict(inspect.signature(user).parameters)
    annotations = typing.get_type_hints(user)
    bound = {b.name: b for b in function.get_bindings() if b.name != "$return"}
    has_return = any(b.name == "$return" for b in function.get_bindings())
    requires_context = "context" in params and "context" not in bound
    params.pop("context", None)
    assert set(params) == set(bound), "parameters and bindings must match one to one"
    assert not annotations or all(isinstance(a, type) for a in annotations.values())
    assert "return" not in annotations or isinstance(annotations["return"], type)
    assert not inspect.iscoroutinefunction(user)
    inspect.getfile(user)  # the worker takes the function's directory from it
    return {"inputs": set(bound), "requires_context": requires_context,
            "has_return": has_return}


def test_the_worker_indexes_every_function(functions: dict[str, func.Function]) -> None:
    for name, (_, arg_name) in EXPECTED.items():
        info = worker_index(functions[name])
        assert info == {"inputs": {arg_name}, "requires_context": True,
                        "has_return": name == "hello"}


def test_the_real_worker_registry_indexes_every_function(functions: dict[str, func.Function]
                                                         ) -> None:
    runtime = pytest.importorskip(
        "azure_functions_runtime.functions",
        reason="azure-functions-runtime needs Python >= 3.13 (pip install "
               "--ignore-requires-python --no-deps azure-functions-runtime to run this)")
    from azure_functions_runtime.bindings import meta as worker_meta

    class Protos:  # FunctionRpc.proto enums the registry compares against
        class BindingInfo:
            in_, out, inout = 0, 1, 2
            undefined = 0

    worker_meta.load_binding_registry()
    registry = runtime.Registry()
    for name, (binding_type, arg_name) in EXPECTED.items():
        info = registry.add_indexed_function(functions[name], Protos)
        assert info.name == name and info.requires_context
        assert {k: v.binding_name for k, v in info.input_types.items()} == {
            arg_name: binding_type}
        assert info.has_return is (name == "hello")


def call(function: func.Function, arg_name: str, value: Any) -> Any:
    """What the worker does: ``fi.func(**args)`` with the trigger value and the context."""
    return function.get_user_function()(**{arg_name: value, "context": WorkerContext()})


def test_http_invocation(functions: dict[str, func.Function]) -> None:
    req = ai.http_request("GET", "https://app.azurewebsites.net/api/items/7?name=Ada",
                          route_params={"id": "7"})
    response = call(functions["hello"], "req", req)
    assert isinstance(response, func.HttpResponse)
    datum = HttpResponseConverter.encode(response, expected_type=None)
    wire = datum.value
    assert wire["status_code"].value == "201"
    assert {k: v.value for k, v in wire["headers"].items()} == {
        "Cache-Control": "no-store", "Vary": "Accept, Origin",
        "Content-Type": "application/json"}
    assert [(name, m.value) for jar in wire["cookies"] for name, m in jar.items()] == [
        ("a", "1"), ("b", "2")]
    assert json.loads(wire["body"].value) == {"hello": "Ada", "id": "7", "invocation": "inv-1"}


@pytest.mark.parametrize(("name", "arg_name", "make", "expected"), [
    ("orders", "msg", lambda: ai.queue_message("q"), [("azure.queue", "q")]),
    ("jobs", "msg", lambda: ai.servicebus_message("s"), [("azure.servicebus", "s")]),
    ("news", "msgs", lambda: [ai.servicebus_message("n1"), ai.servicebus_message("n2")],
     [("azure.servicebus", "n1"), ("azure.servicebus", "n2")]),
    ("telemetry", "event", lambda: ai.eventhub_event("e"), [("azure.event.hubs", "e")]),
    ("telemetry_batch", "events", lambda: ai.eventhub_batch(["e1", "e2"]),
     [("azure.event.hubs", "e1"), ("azure.event.hubs", "e2")]),
    ("uploads", "blob", lambda: ai.blob_stream(b"x", name="uploads/a.txt"),
     [("azure.blob", ("uploads", "a.txt", "created"))]),
    ("every5", "timer", lambda: ai.timer_request(past_due=True), [("azure.timer", True)]),
    ("grid", "event", lambda: ai.eventgrid_event({
        "id": "1", "topic": "/t", "subject": "s", "eventType": "Contoso.Created",
        "eventTime": "2024-05-01T12:00:00Z", "data": {}}), [("azure.eventgrid",
                                                              "Contoso.Created")]),
    ("orders_feed", "docs", lambda: ai.cosmos_documents([{"id": "o1", "customer": "c1"}]),
     [("azure.cosmosdb", {"id": "o1", "customer": "c1"})]),
])
def test_trigger_invocations_return_none(functions: dict[str, func.Function], name: str,
                                         arg_name: str, make: Any, expected: list[Any]
                                         ) -> None:
    SEEN.clear()
    # A function without a $return binding must return None, or the worker fails it.
    assert call(functions[name], arg_name, make()) is None
    assert expected == SEEN


@pytest.mark.parametrize(("name", "arg_name", "make"), [
    ("orders", "msg", lambda: ai.queue_message("fail")),
    ("jobs", "msg", lambda: ai.servicebus_message("fail")),
    ("telemetry_batch", "events", lambda: ai.eventhub_batch(["ok", "fail", "ok2"])),
])
def test_failing_messages_raise_for_the_platform_to_retry(functions: dict[str, func.Function],
                                                          name: str, arg_name: str, make: Any
                                                          ) -> None:
    SEEN.clear()
    with pytest.raises(RuntimeError, match="handler failed"):
        call(functions[name], arg_name, make())
    assert SEEN[-1][1] in ("fail", "ok2")
