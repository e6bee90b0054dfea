"""The Azure fast paths give what the slow paths they skip give."""

from __future__ import annotations

import pytest

from adapters.azure import azure_context
from sdk.errors import EventDecodeError


class _Trace:
    trace_parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


class _Retry:
    retry_count = 2


class _WorkerContext:
    invocation_id = "inv-7"
    function_name = "orders"
    trace_context = _Trace()
    retry_context = _Retry()


def test_the_context_filled_on_first_read_is_the_eager_one() -> None:
    context = azure_context(_WorkerContext())
    assert (context.request_id, context.function_name, context.trace_id, context.attempt,
            context.provider, context.raw.__class__) == (
        "inv-7", "orders", "4bf92f3577b34da6a3ce929d0e0e4736", 3, "azure", _WorkerContext)
    assert context.logger is context.logger
    with pytest.raises(AttributeError):
        context.no_such_field  # noqa: B018


def test_a_blobs_last_modified_is_parsed_when_time_is_first_read() -> None:
    from adapters.azure import decode
    from adapters.testing import azure

    good = decode(azure.blob_stream(b"x"))[0]
    assert good.time is not None and good.time.utcoffset().total_seconds() == 0
    bad = decode(azure.blob_stream(b"x", properties={"LastModified": "yesterday"}))[0]
    assert bad.key == "a.txt"  # the event decoded; its time fails when read
    with pytest.raises(EventDecodeError) as info:
        _ = bad.time
    assert "Properties.LastModified" in str(info.value)


_TRIGGER_MODULES = {"_http", "_queue", "_servicebus", "_eventhub", "_storage", "_timer",
                    "_cosmos", "_eventgrid"}
_FIRST_OBJECTS = {
    "http_request('GET', 'https://a.azurewebsites.net/api/x')": {"_http"},
    "queue_message({'a': 1})": {"_queue"},
    "blob_stream(b'x')": {"_storage"},
    "timer_request()": {"_timer"},
    # Event Grid decodes blob events through the blob module's type table
    "eventgrid_event({'id': '1', 'subject': 's', 'eventType': 'T', 'data': {},"
    " 'eventTime': '2024-03-13T10:15:30Z', 'dataVersion': '1'})": {"_eventgrid", "_storage"},
}


@pytest.mark.parametrize("factory", sorted(_FIRST_OBJECTS))
def test_a_first_invocation_loads_only_its_trigger_module(factory: str) -> None:
    """The worker has built the object (azure.functions loaded); ``bind`` and the
    first invocation then import that object's trigger module and no other."""
    import ast
    import subprocess
    import sys

    from tests.support.imports import PROJECT_ROOT

    script = ("from adapters.testing import azure\n"
              f"native = azure.{factory}\n"
              "import sys\n"
              "before = set(sys.modules)\n"
              "from adapters.azure import bind\n"
              "bind(lambda event: None, 'arg', name='f')(arg=native, context=None)\n"
              "print(sorted(m for m in set(sys.modules) - before"
              " if m.startswith('adapters.azure.')))\n")
    out = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, check=True,
                         capture_output=True, text=True, timeout=60)
    loaded = ast.literal_eval(out.stdout.strip().splitlines()[-1])
    assert {name.rpartition(".")[2] for name in loaded} & _TRIGGER_MODULES == \
        _FIRST_OBJECTS[factory]
