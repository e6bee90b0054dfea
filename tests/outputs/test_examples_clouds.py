"""The examples' outputs on Azure and Google Cloud, with the same handler code as
on AWS: orders forwards an accepted order (Service Bus trigger -> Queue Storage on
Azurite; Pub/Sub -> Pub/Sub on the emulator); uploads reads the object a storage
event names (Event Grid blob event -> Azurite; storage CloudEvent -> fake-gcs-server)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from azure.storage.blob import BlobServiceClient

import sdk
from adapters.azure import bind
from tests.outputs.azure_events import eventgrid_trigger_inputs
from tests.outputs.gcp_events import eventarc, pull, topic_with
from tests.support import azure_inputs as inputs
from tests.support.servers.azurite import Azurite, unique
from tests.support.servers.gcs import GCS
from tests.support.servers.pubsub import PubSub

pytestmark = pytest.mark.servers

ORDERS = ({"id": "o-1", "sku": "BOOK-1", "qty": 2}, {"id": "o-2", "sku": "RECALLED-1", "qty": 1})


def _lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()
            if line.startswith("{")]


def test_orders_on_azure_forwards_with_its_attribute(
        pubsub: PubSub, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Service Bus trigger of examples/orders/function_app.py. The order goes on
    with an ``order_id`` attribute, which Queue Storage cannot carry (refused, never
    dropped) and Service Bus has no emulator here: the destination is a Pub/Sub topic
    on the emulator, the same address a deployment would configure to cross clouds."""
    from examples.orders.handler import handle

    accepted, accepted_sub = topic_with()
    monkeypatch.setenv("ACCEPTED_ORDERS", f"pubsub://{accepted}")
    function = bind(handle, "msg", name="orders")  # as examples/orders/function_app.py
    function(msg=inputs.servicebus_message(json.dumps(ORDERS[0])))
    with pytest.raises(Exception, match="flagged"):
        function(msg=inputs.servicebus_message(json.dumps(ORDERS[1])))
    (forwarded,) = pull(accepted_sub, 1)
    assert json.loads(forwarded.message.data) == ORDERS[0]
    assert forwarded.message.attributes["order_id"] == "o-1"
    monkeypatch.setenv("ACCEPTED_ORDERS", "azure-queue://accepted")
    monkeypatch.setenv("AzureWebJobsStorage", "UseDevelopmentStorage=true")  # refused first
    with pytest.raises(sdk.PublishError, match=r"polyfn\.UnsupportedField.*attributes"):
        function(msg=inputs.servicebus_message(json.dumps(ORDERS[0])))


def test_orders_on_gcp_forwards_to_atopic_with(pubsub: PubSub,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from examples.orders.main import take_order

    incoming, incoming_sub = topic_with()
    accepted, accepted_sub = topic_with()
    monkeypatch.setenv("ACCEPTED_ORDERS", f"pubsub://{accepted}")
    sdk.destination(f"pubsub://{incoming}").send_many(list(ORDERS)).raise_for_failures()
    outcomes = []
    for received in pull(incoming_sub, 2):
        try:
            take_order(eventarc(received, incoming, incoming_sub))
            outcomes.append("ok")
        except Exception:
            outcomes.append("failed")  # functions-framework answers 500: redelivered
    assert sorted(outcomes) == ["failed", "ok"]
    (forwarded,) = pull(accepted_sub, 1)
    assert json.loads(forwarded.message.data) == ORDERS[0]
    assert forwarded.message.attributes["order_id"] == "o-1"


def test_uploads_on_azure_reads_the_blob(azurite: Azurite, monkeypatch: pytest.MonkeyPatch,
                                         caplog: pytest.LogCaptureFixture) -> None:
    from examples.uploads.handler import handle

    monkeypatch.setenv("UPLOADS_CHECKSUMS", "1")
    container = unique("uploads")
    blobs = BlobServiceClient.from_connection_string(azurite.connection_string)
    blobs.create_container(container)
    body = b"x" * 200_000
    blobs.get_blob_client(container, "in/a.bin").upload_blob(body)
    event = json.dumps([{  # https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage
        "id": "1", "eventType": "Microsoft.Storage.BlobCreated", "dataVersion": "",
        "topic": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/"
                 "storageAccounts/devstoreaccount1",
        "subject": f"/blobServices/default/containers/{container}/blobs/in/a.bin",
        "eventTime": "2024-05-15T12:00:00Z", "metadataVersion": "1",
        "data": {"api": "PutBlob", "contentLength": len(body), "blobType": "BlockBlob"}}])
    function = bind(handle, "event", name="uploads")  # as examples/uploads/function_app.py
    caplog.set_level("INFO", logger="polyfn")
    for item in eventgrid_trigger_inputs(event.encode()):
        function(event=item)
    # On Azure the logger writes through logging (the worker forwards it to the host).
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "polyfn"]
    (read,) = [line for line in lines if line.get("message") == "object read"]
    assert (read["bytes"], read["sha256"]) == (len(body), hashlib.sha256(body).hexdigest())


def test_uploads_on_gcp_reads_the_object(gcs: GCS, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from cloudevents.http import CloudEvent
    from google.cloud import storage

    from examples.uploads.main import on_upload

    monkeypatch.setenv("UPLOADS_CHECKSUMS", "1")
    bucket = storage.Client().create_bucket(unique("uploads"))
    body = b"y" * 300_000
    bucket.blob("in/b.bin").upload_from_string(body)
    blob = bucket.get_blob("in/b.bin")
    on_upload(CloudEvent({
        "type": "google.cloud.storage.object.v1.finalized", "specversion": "1.0",
        "source": f"//storage.googleapis.com/projects/_/buckets/{bucket.name}",
        "subject": "objects/in/b.bin", "id": "1", "time": "2024-05-15T12:00:00Z",
        "datacontenttype": "application/json"}, blob._properties))
    (read,) = [line for line in _lines(capsys) if line.get("message") == "object read"]
    assert (read["bytes"], read["sha256"]) == (len(body), hashlib.sha256(body).hexdigest())
