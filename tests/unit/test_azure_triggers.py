"""Azure's non-HTTP triggers, the Context and bind(), through real azure.functions objects
built by the worker's own converters (tests/support/azure_inputs.py)."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import subprocess
import sys
import typing
from typing import Any

import azure.functions as func
import pytest
from azure.functions import meta

import sdk
from adapters.azure import TRIGGERS, bind, decode, detect
from sdk import Change, Context, Event, Message, Schedule, StorageEvent
from sdk.errors import ConfigurationError, EventDecodeError, UnsupportedEventError
from tests.support import azure_inputs as ai
from tests.support.samples import PROJECT_ROOT
from tests.unit.test_azure_http import WorkerContext

UTC = dt.timezone.utc
T0 = ai.DEFAULT_TIME


def cloud_event(payload: dict[str, Any]) -> Any:
    """``func.CloudEvent`` as the worker's Event Grid converter builds it (azure_inputs'
    eventgrid_event takes the Event Grid schema only)."""
    datum = meta.Datum(json.dumps(payload), "json")
    return ai.converter_for("eventGridTrigger").decode(datum, trigger_metadata={})


def recorder(kind: type[Event[Any]] = Event, fail: set[str] = frozenset()  # type: ignore[assignment]
             ) -> tuple[Any, list[Any]]:
    """A handler recording what it saw; it raises for events whose data is in ``fail``."""
    seen: list[Any] = []

    def handle(event: Any) -> str:
        seen.append(event)
        if isinstance(event.data, str) and event.data in fail:
            raise ValueError(f"failed {event.data}")
        return "done"

    handle.__annotations__ = {"event": kind, "return": str}
    return handle, seen


# ---------------------------------------------------------------------------- queue


def test_queue_message() -> None:
    msg = ai.queue_message('{"order": 7}', id="m-1", dequeue_count=3)
    (event,) = decode(msg)
    assert isinstance(event, Message)
    assert (event.trigger, event.id, event.delivery_count) == ("azure.queue", "m-1", 3)
    assert event.time == T0 and event.time.tzinfo is not None
    assert event.data == {"order": 7}
    assert event.attributes == {"expiration_time": "2024-05-08T12:00:00Z",
                                "next_visible_time": "2024-05-01T12:10:00Z",
                                "pop_receipt": "AgAAAAMAAAAAAAAAwFY7aNmc2gE="}
    assert event.native is msg


def test_queue_binary_body_stays_bytes() -> None:
    (event,) = decode(ai.queue_message(b"\x00\xff"))
    assert event.data == b"\x00\xff"
    assert event.to_dict()["data_base64"] == "AP8="


def test_a_failing_message_handler_raises_the_original_exception() -> None:
    handle, seen = recorder(Message, fail={"boom"})
    function = bind(handle, "msg")
    assert function(ai.queue_message("ok")) is None  # no $return binding: must be None
    with pytest.raises(ValueError, match="failed boom"):
        function(msg=ai.queue_message("boom"), context=WorkerContext())
    assert [e.data for e in seen] == ["ok", "boom"]
    assert bind(handle, "msg", returns=True)(ai.queue_message("ok")) == "done"


# ---------------------------------------------------------------------- service bus


def test_service_bus_message() -> None:
    msg = ai.servicebus_message(
        b'{"a": 1}', message_id="sb-1", delivery_count=2, session_id="s-1",
        correlation_id="corr", content_type="application/json", subject="orders",
        application_properties={"n": 1, "s": "x", "b": True, "none": None},
        sequence_number=42, reply_to="replies")
    (event,) = decode(msg)
    assert isinstance(event, Message)
    assert event.trigger == "azure.servicebus"
    assert (event.id, event.delivery_count, event.ordering_key, event.sequence) == (
        "sb-1", 2, "s-1", "42")
    assert event.subject == "orders"
    assert event.time == T0 and event.time.tzinfo is UTC  # the converter's value is naive
    assert event.data_content_type == "application/json" and event.data == {"a": 1}
    assert event.attributes == {"n": "1", "s": "x", "b": "true", "none": "null",
                                "correlation_id": "corr", "reply_to": "replies",
                                "expires_at": "2024-05-15T12:00:00Z"}


def test_service_bus_batch_keeps_session_order_and_raises_after() -> None:
    # Cardinality many hands the function a list of ServiceBusMessage.
    batch = [ai.servicebus_message(body, session_id=session, sequence_number=i)
             for i, (body, session) in enumerate([("a1", "A"), ("bad", "A"), ("a3", "A"),
                                                  ("b1", "B")])]
    handle, seen = recorder(Message, fail={"bad"})
    with pytest.raises(ValueError, match="failed bad"):
        bind(handle, "msgs")(batch)
    # a3 is not attempted after bad (same session: the batch is redelivered in order).
    assert [e.data for e in seen] == ["a1", "bad", "b1"]


def test_a_failed_service_bus_message_is_logged_by_its_message_id(
        caplog: pytest.LogCaptureFixture) -> None:
    batch = [ai.servicebus_message("ok", message_id="id-ok"),
             ai.servicebus_message("bad", message_id="id-bad")]
    handle, _ = recorder(Message, fail={"bad"})
    with pytest.raises(ValueError, match="failed bad"):
        bind(handle, "msgs")(batch)
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "polyfn"]
    assert [(x["message"], x["record"]) for x in lines] == [("record failed", "id-bad")]



# ----------------------------------------------------------------------- event hubs


def test_event_hub_single_event() -> None:
    hub_event = ai.eventhub_event("hello", partition_key="pk", sequence_number=9, offset=120,
                                  properties={"source": "sensor", "level": 3}, partition_id="4")
    (event,) = decode(hub_event)
    assert isinstance(event, Message)
    assert event.trigger == "azure.event.hubs"
    assert (event.topic, event.partition, event.ordering_key, event.sequence) == (
        "samples-workitems", "4", "pk", "9")
    assert event.source == "polyfn-ns.servicebus.windows.net"
    assert event.time == T0 and event.time.tzinfo is UTC
    assert event.attributes == {"source": "sensor", "level": "3", "offset": "120",
                                "consumer_group": "$Default"}
    assert event.data == "hello"


def test_event_hub_batch_per_event_properties() -> None:
    batch = ai.eventhub_batch(["one", "two"], sequence_number=5,
                              properties=[{"i": 0}, {"i": 1}])
    events = decode(batch)
    assert [e.data for e in events] == ["one", "two"]
    assert [e.sequence for e in events] == ["5", "6"]
    assert [e.attributes["i"] for e in events] == ["0", "1"]
    assert [e.attributes["offset"] for e in events] == ["0", "3"]
    assert [e.native for e in events] == batch


def test_event_hub_batch_attempts_every_event_then_raises_the_first_failure() -> None:
    handle, seen = recorder(Message, fail={"bad1", "bad2"})
    with pytest.raises(ValueError, match="failed bad1"):
        bind(handle, "events")(ai.eventhub_batch(["ok", "bad1", "ok2", "bad2"]))
    assert [e.data for e in seen] == ["ok", "bad1", "ok2", "bad2"]
    assert bind(handle, "events")(ai.eventhub_batch(["x", "y"])) is None


def test_list_handler_gets_the_whole_batch() -> None:
    got: list[list[str]] = []

    def handle(messages: list[Message]) -> None:
        got.append([m.data for m in messages])

    bind(handle, "events")(ai.eventhub_batch(["a", "b", "c"]))
    bind(handle, "event")(ai.eventhub_event("single"))
    assert got == [["a", "b", "c"], ["single"]]


# ---------------------------------------------------------------------------- blob


def test_blob_trigger_stream() -> None:
    stream = ai.blob_stream(b'{"k": 1}', name="uploads/2024/a.json",
                            content_type="application/json",
                            properties={"ETag": '"0x8DC"', "VersionId": "v-1"})
    (event,) = decode(stream)
    assert isinstance(event, StorageEvent)
    assert (event.trigger, event.bucket, event.key, event.operation) == (
        "azure.blob", "uploads", "2024/a.json", "created")
    assert (event.size, event.etag, event.version, event.content_type) == (
        8, '"0x8DC"', "v-1", "application/json")
    assert event.attributes == {"url": "https://polyfnstorage.blob.core.windows.net/"
                                       "uploads/2024/a.json"}
    assert event.time == T0
    assert event.data == {"k": 1}
    assert event.data == {"k": 1}  # read once, kept


# --------------------------------------------------------------------------- timer


def test_timer() -> None:
    (event,) = decode(ai.timer_request(past_due=True))
    assert isinstance(event, Schedule)
    assert (event.trigger, event.past_due, event.scheduled_time, event.schedule) == (
        "azure.timer", True, None, None)
    assert event.attributes == {"last": "2024-05-01T11:55:00Z", "next": "2024-05-01T12:05:00Z",
                                "last_updated": "2024-05-01T11:55:00Z"}
    assert event.data is None
    (quiet,) = decode(ai.timer_request(last=None, next=None, last_updated=None))
    assert (quiet.past_due, quiet.attributes) == (False, {})


# ------------------------------------------------------------------------- cosmos


DOCS = [{"id": "a", "customer": {"id": "c1"}, "_ts": 1714564800, "_etag": '"00"', "_lsn": 7},
        {"id": "b", "customer": {"id": "c2"}}]


def test_cosmos_document_list() -> None:
    docs = ai.cosmos_documents(DOCS)
    events = decode(docs)
    assert all(isinstance(e, Change) for e in events)
    first, second = events
    assert (first.trigger, first.operation, first.keys, first.new) == (
        "azure.cosmosdb", "upsert", {"id": "a"}, DOCS[0])
    assert first.data == DOCS[0] and first.old is None
    assert first.time == T0 and first.subject == "a"
    assert first.attributes == {"etag": '"00"', "lsn": "7"}
    assert second.time is None and second.attributes == {}
    assert first.native is docs[0]


def test_cosmos_partition_key_and_raw_array() -> None:
    seen: list[Change[Any]] = []
    bind(seen.append, "docs", name="changes", partition_key="/customer/id")(
        ai.cosmos_documents(DOCS))
    assert [c.keys for c in seen] == [{"id": "a", "customer.id": "c1"},
                                      {"id": "b", "customer.id": "c2"}]
    events = decode(DOCS)
    assert [e.keys for e in events] == [{"id": "a"}, {"id": "b"}]
    assert isinstance(events[0].native, func.Document)


def test_empty_document_list_calls_nothing() -> None:
    seen: list[Change[Any]] = []
    assert bind(seen.append, "docs", name="changes")(func.DocumentList()) is None
    assert seen == []


def test_async_handlers_run_one_and_many() -> None:
    seen: list[str] = []

    async def handle(message: Message) -> None:
        seen.append(message.data)

    bind(handle, "msg")(ai.queue_message("one"))
    bind(handle, "events")(ai.eventhub_batch(["a", "b"]))
    assert sorted(seen) == ["a", "b", "one"]


def test_cosmos_null_document_fails_loudly() -> None:
    docs = func.DocumentList([func.Document.from_dict({"id": "a"}), None])
    seen: list[Change[Any]] = []
    with pytest.raises(EventDecodeError, match="item 1 is not a document"):
        bind(seen.append, "docs", name="changes")(docs)
    assert [c.subject for c in seen] == ["a"]


# --------------------------------------------------------------------- event grid


BLOB_CREATED = {
    "topic": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/acc",
    "subject": "/blobServices/default/containers/photos/blobs/2024/cat.png",
    "eventType": "Microsoft.Storage.BlobCreated", "eventTime": "2024-05-01T12:00:00.1234567Z",
    "id": "e-1", "dataVersion": "", "metadataVersion": "1",
    "data": {"api": "PutBlob", "eTag": "0x8D", "contentType": "image/png",
             "contentLength": 524288, "blobType": "BlockBlob",
             "url": "https://acc.blob.core.windows.net/photos/2024/cat.png"},
}


def test_event_grid_native_blob_event() -> None:
    native = ai.eventgrid_event(BLOB_CREATED)
    (event,) = decode(native)
    assert isinstance(event, StorageEvent)
    assert (event.trigger, event.type, event.bucket, event.key, event.operation) == (
        "azure.blob.eventgrid", "Microsoft.Storage.BlobCreated", "photos", "2024/cat.png",
        "created")
    assert (event.size, event.etag, event.content_type) == (524288, "0x8D", "image/png")
    assert event.time == dt.datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
    assert event.source == BLOB_CREATED["topic"] and event.id == "e-1"
    assert event.attributes["url"].endswith("/photos/2024/cat.png")
    assert event.native is native


@pytest.mark.parametrize(("event_type", "data", "operation"), [
    ("Microsoft.Storage.BlobTierChanged", {"accessTier": "Archive", "previousTier": "Hot"},
     "archived"),
    ("Microsoft.Storage.BlobTierChanged", {"accessTier": "Cool", "previousTier": "Archive"},
     "restored"),
    ("Microsoft.Storage.BlobTierChanged", {"accessTier": "Cool", "previousTier": "Hot"},
     "metadata_updated"),
    ("Microsoft.Storage.AsyncOperationInitiated", {"api": "SetBlobTier"}, "restore_started"),
    ("Microsoft.Storage.BlobDeleted", {}, "deleted"),
])
def test_blob_operations_table(event_type: str, data: dict[str, Any], operation: str) -> None:
    (event,) = decode({**BLOB_CREATED, "eventType": event_type, "data": data})
    assert isinstance(event, StorageEvent) and event.operation == operation


def test_event_grid_generic_event_and_versions() -> None:
    raw = {"id": "x", "topic": "/t", "subject": "s", "eventType": "Contoso.Item",
           "eventTime": "2024-05-01T12:00:00Z", "data": {"v": 1}, "dataVersion": "2.0",
           "metadataVersion": "1"}
    (event,) = decode(raw)
    assert type(event) is Event
    assert (event.trigger, event.source, event.type, event.data) == (
        "azure.eventgrid", "/t", "Contoso.Item", {"v": 1})
    assert event.attributes == {"data_version": "2.0", "metadata_version": "1"}
    (native_event,) = decode(ai.eventgrid_event(raw))
    assert native_event.attributes == {"data_version": "2.0"}  # func.EventGridEvent drops it
    assert isinstance(event.native, func.EventGridEvent) and event.native.id == "x"


def test_cloud_event_native_with_data_base64_and_extension() -> None:
    payload = {"specversion": "1.0", "id": "c-1", "source": "/subscriptions/x/y",
               "type": "Contoso.Bin",
               "time": "2024-05-01T12:00:00Z", "data_base64": "/wA=", "tenant": "t1"}
    native = cloud_event(payload)
    assert isinstance(native, func.CloudEvent)
    for event in (decode(native)[0], decode(payload)[0]):
        assert event.trigger == "azure.eventgrid.cloudevents"
        assert (event.id, event.source, event.type, event.time) == (
            "c-1", "/subscriptions/x/y", "Contoso.Bin", T0)
        assert event.data == b"\xff\x00"
        assert event.attributes == {"tenant": "t1"}
    assert decode(native)[0].native is native


@pytest.mark.parametrize(("raw", "keys"), [
    ({**BLOB_CREATED, "subject": "/not/a/blob"}, ("subject",)),
    ({**BLOB_CREATED, "eventTime": "yesterday"}, ("eventTime",)),
])
def test_malformed_event_grid_events_name_the_key(raw: dict[str, Any], keys: tuple[str, ...]
                                                 ) -> None:
    with pytest.raises(EventDecodeError) as info:
        decode(raw)
    assert info.value.keys == keys
    assert "yesterday" not in str(info.value) and "/not/a/blob" not in str(info.value)


def test_bad_base64_fails_when_data_is_read() -> None:
    (event,) = decode({"specversion": "1.0", "id": "1", "source": "s", "type": "Microsoft.T",
                       "data_base64": "%%%"})
    with pytest.raises(EventDecodeError):
        _ = event.data


# -------------------------------------------------------------- detection, context


def test_every_trigger_claims_its_native_object_only() -> None:
    natives = [ai.http_request(), ai.queue_message("q"), ai.servicebus_message("s"),
               [ai.servicebus_message("s")], ai.eventhub_event("e"), ai.eventhub_batch(["e"]),
               ai.blob_stream(b"b"), ai.timer_request(), ai.cosmos_documents([{"id": "1"}]),
               ai.eventgrid_event(BLOB_CREATED), cloud_event({"specversion": "1.0", "id": "1",
                                                              "source": "s", "type": "t"})]
    for native in natives:
        assert sum(t.matches(native) for t in TRIGGERS) == 1, native


def test_raw_cloud_events_without_azure_marks_are_left_to_other_adapters() -> None:
    event = {"specversion": "1.0", "id": "1", "source": "//pubsub.googleapis.com/x",
             "type": "google.cloud.pubsub.topic.v1.messagePublished"}
    for raw in (event, [event]):
        assert not any(t.matches(raw) for t in TRIGGERS)
    assert any(t.matches(cloud_event(event)) for t in TRIGGERS)  # the worker's object is


@pytest.mark.parametrize("raw", [{"secret": "v", "other": 1}, [], "text", [{"id": "1"}, 3]])
def test_unsupported_payloads_name_keys_never_values(raw: Any) -> None:
    with pytest.raises(UnsupportedEventError) as info:
        detect(raw)
    assert str(info.value).startswith("azure: ")
    assert "'v'" not in str(info.value) and "text" not in str(info.value)


def test_context_from_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGION_NAME", "West Europe")
    seen: list[Context] = []

    def handle(message: Message, context: Context) -> None:
        seen.append(context)

    bind(handle, "msg")(ai.queue_message("x"), WorkerContext("inv-7", "orders"))
    (ctx,) = seen
    assert (ctx.provider, ctx.request_id, ctx.function_name, ctx.region) == (
        "azure", "inv-7", "orders", "West Europe")
    assert ctx.trace_id == "0af7651916cd43dd8448eb211c80319c"
    assert (ctx.attempt, ctx.memory_mb, ctx.deadline) == (1, None, None)
    assert isinstance(ctx.raw, func.Context)


def test_kind_mismatch_is_a_configuration_error() -> None:
    @sdk.function
    def takes_http(request: sdk.HTTPRequest) -> None:
        pass

    with pytest.raises(ConfigurationError, match="takes http events"):
        bind(takes_http, "msg")(ai.queue_message("x"))


# ------------------------------------------------------------------------- bind()


def handle(event: Event) -> None:
    """Docstring kept."""


def test_bind_builds_what_the_worker_indexes() -> None:
    function = bind(handle, "msg")
    assert str(inspect.signature(function)) == "(msg, context=None)"
    assert typing.get_type_hints(function) == {}
    assert function.__name__ == "handle" and function.__doc__ == "Docstring kept."
    assert inspect.getfile(function).endswith("_bind.py")
    assert not inspect.iscoroutinefunction(function)
    assert bind(handle, name="other-name").__name__ == "other-name"


@pytest.mark.parametrize(("args", "kwargs"), [
    (("req", "context"), {}), (("arg",), {"name": "bad name"}), (("class",), {}),
])
def test_bind_rejects_what_the_worker_would(args: tuple[str, ...], kwargs: dict[str, str]
                                            ) -> None:
    with pytest.raises(ConfigurationError):
        bind(handle, *args[1:] if args[0] == "req" else args, **kwargs)


def test_bind_call_shapes() -> None:
    function = bind(handle, "msg")
    with pytest.raises(TypeError):
        function()
    with pytest.raises(TypeError):
        function(ai.queue_message("x"), other=1)


# --------------------------------------------------------------------- import cost


def test_import_and_raw_decode_load_no_provider_library() -> None:
    code = (
        "import sys, json\n"
        "before = set(sys.modules)\n"
        "import adapters.azure\n"
        f"events = adapters.azure.decode({BLOB_CREATED!r})\n"
        "events += adapters.azure.decode([{'id': 'd', '_ts': 1}])\n"
        "assert [e.kind for e in events] == ['storage', 'change']\n"
        "heavy = {'azure', 'werkzeug', 'flask', 'functions_framework', 'aws_lambda_powertools',\n"
        "         'pydantic', 'cloudevents', 'google'}\n"
        "loaded = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "print(json.dumps(sorted(loaded & heavy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True,
                         capture_output=True, text=True, timeout=60)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
