"""The examples' Azure ``function_app.py``, indexed and invoked the way the Python worker
does it (see test_azure_functionapp.py for why the worker itself cannot run here).

Each ``function_app.py`` is loaded fresh from its file, as the worker imports it; its
functions go through the worker's indexing rules (and the real
``azure_functions_runtime`` Registry when installed), then each function's user code
is called with the keyword arguments the worker passes and trigger inputs built by
azure.functions' own converters (``tests/support/azure_inputs.py``). What the tests
read is what the host acts on: the encoded HTTP response, ``None`` for a trigger
without ``$return`` (anything else fails the invocation), an exception when the
message must be retried, and the log records the worker ships to the host.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import azure.functions as func
import pytest
from azure.functions.http import HttpResponseConverter

from sdk.errors import DataValidationError
from tests.runtime.test_azure_functionapp import worker_index
from tests.support import azure_inputs as ai
from tests.support.samples import PROJECT_ROOT, SAMPLES, load, requires_samples
from tests.unit.test_azure_http import WorkerContext

EXAMPLES = PROJECT_ROOT / "examples"
ORDER = {"id": "o-1", "sku": "BOOK-1", "qty": 2}


@functools.cache
def functions(name: str) -> dict[str, func.Function]:
    """The functions the worker indexes from ``examples/<name>/function_app.py``."""
    path = EXAMPLES / name / "function_app.py"
    spec = importlib.util.spec_from_file_location(f"function_app_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {f.get_function_name(): f for f in module.app.get_functions()}


def trigger(indexed: func.Function) -> Any:
    found = indexed.get_trigger()
    assert found is not None
    return found


def call(name: str, function: str, value: Any) -> Any:
    """What the worker does: ``fi.func(**args)`` with the trigger value and the context."""
    indexed = functions(name)[function]
    user = indexed.get_user_function()
    return user(**{trigger(indexed).name: value,
                   "context": WorkerContext(function_name=function)})


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[list[dict[str, Any]]]:
    """The handler's structured lines, as the worker ships them to the host."""
    caplog.set_level(logging.DEBUG, logger="polyfn")
    lines: list[dict[str, Any]] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append({"level": record.levelname, **json.loads(record.getMessage())})

    handler = Collect()
    logging.getLogger("polyfn").addHandler(handler)
    yield lines
    logging.getLogger("polyfn").removeHandler(handler)


@pytest.mark.parametrize(("name", "function", "has_return"), [
    ("quickstart", "hello", True), ("orders", "orders", False),
    ("uploads", "uploads", False), ("nightly", "nightly", False),
])
def test_the_worker_indexes_the_app(name: str, function: str, has_return: bool) -> None:
    indexed = functions(name)
    assert list(indexed) == [function]
    binding = trigger(indexed[function])
    assert worker_index(indexed[function]) == {
        "inputs": {binding.name}, "requires_context": True, "has_return": has_return}
    runtime = pytest.importorskip("azure_functions_runtime.functions",
                                  reason="the real worker Registry needs azure-functions-runtime")
    from azure_functions_runtime.bindings import meta as worker_meta

    class Protos:  # FunctionRpc.proto enums the registry compares against
        class BindingInfo:
            in_, out, inout = 0, 1, 2
            undefined = 0

    worker_meta.load_binding_registry()
    info = runtime.Registry().add_indexed_function(indexed[function], Protos)
    assert info.name == function and info.requires_context and info.has_return is has_return
    assert {k: v.binding_name for k, v in info.input_types.items()} == {
        binding.name: binding.type}


# -- quickstart: HTTP ------------------------------------------------------------------

def wire(response: Any) -> dict[str, Any]:
    """The response as the worker encodes it for the host."""
    assert isinstance(response, func.HttpResponse)
    encoded = HttpResponseConverter.encode(response, expected_type=None).value
    return {"status": int(encoded["status_code"].value),
            "headers": {k: v.value for k, v in encoded["headers"].items()},
            "cookies": [(name, m.value, m["path"], m["max-age"], bool(m["httponly"]))
                        for jar in encoded["cookies"] or () for name, m in jar.items()],
            "body": json.loads(encoded["body"].value)}


def test_http_get(logs: list[dict[str, Any]]) -> None:
    request = ai.http_request("GET", "https://app.azurewebsites.net/api/hello?name=Ada",
                              headers={"Cookie": "visits=2"})
    answer = wire(call("quickstart", "hello", request))
    assert answer["status"] == 200
    assert answer["headers"] == {"Content-Type": "application/json", "X-Greeter": "polyfn"}
    assert answer["cookies"] == [("visits", "3", "/", "86400", True)]
    assert answer["body"] == {"message": "Hello, Ada!", "provider": "azure", "visits": 3}
    (line,) = logs
    assert line["message"] == "greeted" and line["requestId"] == "inv-1"


@pytest.mark.parametrize(("body", "status"), [(b'{"name": ', 400), (b"{}", 422)])
def test_http_post_bad_input_is_a_problem(body: bytes, status: int) -> None:
    request = ai.http_request("POST", "https://app.azurewebsites.net/api/hello",
                              headers={"Content-Type": "application/json"}, body=body)
    answer = wire(call("quickstart", "hello", request))
    assert answer["status"] == status
    assert answer["headers"]["Content-Type"] == "application/problem+json"
    assert answer["cookies"] == []
    assert answer["body"]["status"] == status


# -- orders: Service Bus ----------------------------------------------------------------

def test_an_order_is_accepted(logs: list[dict[str, Any]]) -> None:
    message = ai.servicebus_message(json.dumps(ORDER), message_id="m-1",
                                    content_type="application/json")
    assert call("orders", "orders", message) is None  # no $return: must be None
    (line,) = logs
    assert line["message"] == "order accepted"
    assert (line["order_id"], line["message_id"], line["qty"]) == ("o-1", "m-1", 2)


def test_a_flagged_order_raises_so_service_bus_redelivers_it(logs: list[dict[str, Any]]
                                                             ) -> None:
    message = ai.servicebus_message(json.dumps({**ORDER, "sku": "RECALLED-1"}),
                                    delivery_count=3, message_id="order-7f3a")
    with pytest.raises(Exception, match="SKU RECALLED-1 is flagged") as raised:
        call("orders", "orders", message)
    assert type(raised.value).__name__ == "OrderRejected"
    line, failed = logs  # the handler's own line, then polyfn's for the failed record
    assert line["message"] == "order rejected" and line["delivery_count"] == 3
    assert (failed["level"], failed["message"], failed["trigger"]) == (
        "ERROR", "record failed", "azure.servicebus")
    assert failed["error_type"] == "OrderRejected" and failed["record"] == "order-7f3a"


def test_an_order_that_misfits_the_model_raises() -> None:
    message = ai.servicebus_message(json.dumps({**ORDER, "qty": 0}))
    with pytest.raises(DataValidationError):
        call("orders", "orders", message)


# -- uploads: Event Grid blob events ------------------------------------------------------

@requires_samples
@pytest.mark.parametrize(("sample", "message"), [
    ("StorageBlobCreatedEvent.json", "object created"),
    ("StorageBlobDeletedEvent.json", "object deleted"),
])
def test_blob_event(logs: list[dict[str, Any]], sample: str, message: str) -> None:
    (payload,) = load(SAMPLES / "azure" / "blob-eventgrid" / sample)
    assert call("uploads", "uploads", ai.eventgrid_event(payload)) is None
    (line,) = logs
    assert line["message"] == message
    container, blob = payload["subject"].split("/containers/")[1].split("/blobs/")
    assert (line["bucket"], line["key"]) == (container, blob)
    if message == "object created":
        assert line["size"] == payload["data"]["contentLength"]


# -- nightly: timer ---------------------------------------------------------------------------

def test_a_late_timer_run_reports_yesterday(logs: list[dict[str, Any]]) -> None:
    before = datetime.now(timezone.utc)
    assert call("nightly", "nightly", ai.timer_request(past_due=True)) is None
    after = datetime.now(timezone.utc)
    late, report = logs
    # An Azure timer tells no scheduled time: the day comes from the clock.
    days = {(t - timedelta(days=1)).date().isoformat() for t in (before, after)}
    assert late["level"] == "WARNING" and late["message"] == "running late"
    assert report["message"] == "nightly report" and report["day"] in days
    assert report["schedule"] is None and report["remaining_ms"] is None
