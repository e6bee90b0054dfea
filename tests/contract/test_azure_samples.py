"""Every Azure sample under ../shared/samples/azure, by glob.

Raw deliveries (Event Grid, either schema) decode through ``adapters.azure.decode``
and, one event at a time, through the azure.functions object the worker builds
from them: both give the same uniform event. Portal test bodies travel inside
worker-built inputs (an HTTP request, an Event Hubs event, a Cosmos DB document
list). Samples that cannot be decoded as they are sit in UNSUPPORTED with the
reason: an explicit expectation, never a silent skip.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from azure.functions import meta

import sdk
from adapters.azure import TRIGGERS, bind, decode, detect
from sdk import Change, Event, HTTPRequest, Message, StorageEvent
from sdk.errors import UnsupportedEventError
from tests.support import azure_inputs as ai
from tests.support.samples import (
    SAMPLES,
    load,
    params,
    requires_samples,
    sample_files,
    sample_id,
)

pytestmark = requires_samples

#: Folder -> the trigger ``detect`` names for the raw file.
RAW = {
    "eventgrid": "azure.eventgrid",
    "blob-eventgrid": "azure.eventgrid",
    "eventgrid-cloudevents": "azure.eventgrid.cloudevents",
    "cosmosdb": "azure.cosmosdb",
}
#: Folder -> how the portal body is delivered (tested below, one test each).
BODIES = {"http", "event-hubs", "cosmosdb", "authentication-events"}
#: Folder -> why the raw file is not decoded.
UNSUPPORTED = {
    "eventgrid-custom-schema": "Event Grid's custom input schema has no envelope to "
    "recognise; a subscription maps it to the Event Grid or CloudEvents schema before it "
    "reaches an Event Grid trigger, or delivers it as is to an HTTP trigger",
    "authentication-events": "an Entra custom authentication extension calls an HTTP "
    "trigger: the JSON is a request body (decoded as such below), not a trigger payload",
    "event-hubs": "a message body, not a delivery (decoded inside an EventHubEvent below)",
    "http": "a request body, not a delivery (decoded inside an HttpRequest below)",
}
#: Single files of a supported folder that raw decoding leaves alone, with the reason.
UNSUPPORTED_FILES = {
    "eventgrid-cloudevents/CloudEventBinaryData.json": "a custom-topic CloudEvent carries "
    "no mark of Azure (type and source are the publisher's), so raw JSON is left to "
    "adapters.cloudevents; the func.CloudEvent the worker builds from it decodes below",
}
#: Event Grid event types the table turns into StorageEvents.
STORAGE_TYPES = {"Microsoft.Storage.BlobCreated", "Microsoft.Storage.BlobDeleted"}


def folder(path: Path) -> str:
    return path.relative_to(SAMPLES / "azure").parts[0]


def unsupported(path: Path) -> bool:
    return (folder(path) in UNSUPPORTED
            or path.relative_to(SAMPLES / "azure").as_posix() in UNSUPPORTED_FILES)


def cloud_event(payload: dict[str, Any]) -> Any:
    datum = meta.Datum(json.dumps(payload), "json")
    return ai.converter_for("eventGridTrigger").decode(datum, trigger_metadata={})


def native_of(item: dict[str, Any]) -> Any:
    """The azure.functions object the worker hands the function for one event."""
    return cloud_event(item) if "specversion" in item else ai.eventgrid_event(item)


def test_every_sample_folder_has_an_expectation() -> None:
    folders = {folder(p) for p in sample_files("azure/**/*.json")}
    assert folders == set(RAW) | set(UNSUPPORTED) | BODIES


@pytest.mark.parametrize("path", params("azure/**/*.json"))
def test_raw_sample(path: Path) -> None:
    raw = load(path)
    name = folder(path)
    if unsupported(path):
        with pytest.raises(UnsupportedEventError, match=r"^azure: "):
            decode(raw)
        return
    assert [t.name for t in TRIGGERS if t.matches(raw)] == [RAW[name]]
    assert detect(raw).name == RAW[name]
    events = decode(raw)
    items = raw if isinstance(raw, list) else [raw]
    assert len(events) == len(items)
    for event in events:
        assert event.provider == "azure"
        json.dumps(event.to_dict())  # the JSON form is JSON


def test_no_other_providers_sample_is_claimed_by_azure() -> None:
    # The CLI's auto-detection tries providers in turn: Azure must not take theirs.
    others = [p for p in sample_files() if not sample_id(p).startswith("azure/")]
    assert others
    claimed = {sample_id(p): [t.name for t in TRIGGERS if t.matches(load(p))] for p in others}
    assert {k: v for k, v in claimed.items() if v} == {}


@pytest.mark.parametrize("path", params("azure/eventgrid/*.json")
                         + params("azure/eventgrid-cloudevents/*.json")
                         + params("azure/blob-eventgrid/*.json"))
def test_event_grid_raw_and_native_agree(path: Path) -> None:
    raw = load(path)
    items = raw if isinstance(raw, list) else [raw]
    if unsupported(path):
        for item in items:
            native = native_of(item)
            (event,) = decode(native)
            assert event.trigger == "azure.eventgrid.cloudevents" and event.native is native
            assert event.to_dict()["data_base64"] == item["data_base64"]
            assert event.attributes == {"foo": "bar"}
        return
    for item, event in zip(items, decode(raw), strict=True):
        native = native_of(item)
        (from_native,) = decode(native)
        assert from_native.native is native
        expected = event.to_dict()
        got = from_native.to_dict()
        # func.EventGridEvent does not keep metadataVersion.
        expected["attributes"].pop("metadata_version", None)
        assert got == expected
        event_type = item.get("eventType") or item.get("type")
        if event_type in STORAGE_TYPES:
            assert isinstance(event, StorageEvent)
            assert event.trigger == "azure.blob.eventgrid"
            assert event.subject.endswith(f"/containers/{event.bucket}/blobs/{event.key}")
            assert event.operation == ("created" if event_type.endswith("Created")
                                       else "deleted")
            assert event.attributes["url"] == item["data"]["url"]
        else:
            assert type(event) is Event
            assert event.type == event_type and event.id == item["id"]


@pytest.mark.parametrize("path", params("azure/http/*.json")
                         + params("azure/authentication-events/*.json"))
def test_portal_http_bodies(path: Path) -> None:
    body = path.read_bytes()
    req = ai.http_request("POST", "https://app.azurewebsites.net/api/hook",
                          headers={"Content-Type": "application/json"}, body=body)
    (event,) = decode(req)
    assert isinstance(event, HTTPRequest)
    assert event.json() == load(path) == event.data

    @sdk.function
    def echo(request: HTTPRequest) -> Any:
        return request.json()

    response = bind(echo)(req)
    assert response.status_code == 200
    assert json.loads(response.get_body()) == load(path)


@pytest.mark.parametrize("path", params("azure/event-hubs/*.json"))
def test_portal_event_hubs_body(path: Path) -> None:
    body = load(path)
    assert isinstance(body, str)  # the portal's test message is a bare JSON string
    for native in (ai.eventhub_event(body), ai.eventhub_batch([body, body])):
        events = decode(native)
        assert all(isinstance(e, Message) and e.data == body for e in events)


@pytest.mark.parametrize("path", params("azure/cosmosdb/*.json"))
def test_portal_cosmos_documents(path: Path) -> None:
    documents = load(path)
    changes = decode(ai.cosmos_documents(documents))
    assert [c.new for c in changes] == documents
    assert all(isinstance(c, Change) and c.operation == "upsert" for c in changes)
    assert [c.keys for c in changes] == [{"id": d["id"]} for d in documents]
