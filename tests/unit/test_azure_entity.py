"""Azure Service Bus and Storage queue messages carry the queue or topic their
binding reads: given to ``bind``, or read from the FunctionApp trigger decorator."""

from __future__ import annotations

from typing import Any

import azure.functions as func
import pytest

from adapters.azure import bind
from adapters.testing import azure
from sdk import Message

seen: list[tuple[str | None, str | None]] = []


def handle(message: Message[Any]) -> None:
    seen.append((message.queue, message.topic))


#: Module globals, as in a function_app.py: where the adapter finds the app.
app = func.FunctionApp()
app.service_bus_queue_trigger(arg_name="msg", queue_name="orders",
                              connection="SB")(bind(handle, "msg", name="on_order"))
app.service_bus_topic_trigger(arg_name="msg", topic_name="%POLYFN_TEST_TOPIC%",
                              subscription_name="audit",
                              connection="SB")(bind(handle, "msg", name="on_event"))
app.queue_trigger(arg_name="msg", queue_name="jobs",
                  connection="ST")(bind(handle, "msg", name="on_job"))


def _functions() -> dict[str, Any]:
    return {f.get_function_name(): f.get_user_function() for f in app.get_functions()}


@pytest.fixture(autouse=True)
def _clear(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLYFN_TEST_TOPIC", "events")  # an app setting named by %...%
    seen.clear()


def test_names_from_the_functionapp_bindings() -> None:
    functions = _functions()
    functions["on_order"](azure.servicebus_message({"n": 1}))
    functions["on_order"]([azure.servicebus_message({"n": 2}), azure.servicebus_message({"n": 3})])
    functions["on_event"](azure.servicebus_message({"n": 4}))
    functions["on_job"](azure.queue_message({"n": 5}))
    assert seen == [("orders", None)] * 3 + [(None, "events"), ("jobs", None)]


def test_names_given_to_bind_win() -> None:
    bind(handle, "msg", queue="explicit")(azure.servicebus_message({"n": 1}))
    bind(handle, "msg", topic="t1")(azure.servicebus_message({"n": 1}))
    bind(handle, "msg", queue="work")(azure.queue_message({"n": 1}))
    assert seen == [("explicit", None), (None, "t1"), ("work", None)]


def test_unknown_binding_leaves_none() -> None:
    """Called outside any app (a test calling the function directly): no guess."""
    bind(handle, "msg")(azure.servicebus_message({"n": 1}))
    bind(handle, "msg")(azure.queue_message({"n": 1}))
    assert seen == [(None, None), (None, None)]
