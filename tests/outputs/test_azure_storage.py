"""Queue Storage and Blob Storage outputs against Azurite: what one polyfn handler
sends or writes, the polyfn handler behind the queue trigger / blob trigger gets."""

from __future__ import annotations

import base64
import tracemalloc
from typing import Any

import pytest
from azure.storage.blob import BlobServiceClient
from azure.storage.queue import BinaryBase64DecodePolicy, QueueClient

import sdk
from tests.outputs.azure_events import capture, queue_trigger_input
from tests.outputs.buckets import missing_is_not_found, round_trip
from tests.support import azure_inputs as inputs
from tests.support.concurrency import Ticker
from tests.support.servers.azurite import Azurite, unique

pytestmark = pytest.mark.servers

PAYLOADS = [
    {"id": "7", "items": [1, 2]},
    ["a", 1],
    "plain text, ünïcode",
    b"\x00\x01\xffbinary",
]


def _queue(azurite: Azurite, **policies: Any) -> QueueClient:
    client = QueueClient.from_connection_string(azurite.connection_string, unique("q"),
                                                **policies)
    client.create_queue()
    return client


def _receive(queue: QueueClient) -> list[Any]:
    """Receive with Base64 decoding, as the queue trigger's default does."""
    reader = QueueClient(queue.url.rsplit("/", 1)[0], queue.queue_name,
                         credential=queue.credential,
                         message_decode_policy=BinaryBase64DecodePolicy())
    return list(reader.receive_messages(visibility_timeout=30))


@pytest.mark.parametrize("data", PAYLOADS, ids=["dict", "list", "text", "bytes"])
def test_queue_round_trip(azurite: Azurite, data: Any) -> None:
    queue = _queue(azurite)
    sent = sdk.destination(f"azure-queue://{queue.queue_name}").send(data)
    (message,) = _receive(queue)
    seen, function = capture()
    function(msg=queue_trigger_input(message))
    (event,) = seen
    assert event.trigger == "azure.queue"
    assert event.id == sent == message.id
    assert event.data == data and type(event.data) is type(data)
    assert event.delivery_count == 1


def test_queue_wire_form_is_base64_unless_encoding_none(azurite: Azurite) -> None:
    queue = _queue(azurite)
    name = queue.queue_name
    sdk.destination(f"azure-queue://{name}").send({"n": 1})
    sdk.destination(f"azure-queue://{name}?encoding=none").send({"n": 2})
    raw = [m.content for m in queue.receive_messages(messages_per_page=2)]
    assert raw == [base64.b64encode(b'{"n":1}').decode(), '{"n":2}']
    with pytest.raises(sdk.PublishError, match=r"polyfn\.InvalidData"):
        sdk.destination(f"azure-queue://{name}?encoding=none").send(b"\xff")


def test_queue_refuses_before_sending(azurite: Azurite) -> None:
    queue = _queue(azurite)
    orders = sdk.destination(f"azure-queue://{queue.queue_name}")
    with pytest.raises(sdk.PublishError, match=r"polyfn\.UnsupportedField.*attributes"):
        orders.send("x", attributes={"a": "b"})
    # 64 KiB as stored: 48 KiB of data is 64 KiB of Base64
    with pytest.raises(sdk.PublishError, match=r"polyfn\.TooLarge") as caught:
        orders.send(b"x" * (48 * 1024 + 1))
    assert "xxx" not in str(caught.value)
    orders.send(b"x" * (48 * 1024))
    assert len(_receive(queue)) == 1


def test_queue_errors_name_the_destination_and_the_service_code(azurite: Azurite) -> None:
    missing = sdk.destination("azure-queue://no-such-queue")
    with pytest.raises(sdk.PublishError) as caught:
        missing.send({"secret": "s3cr3t"})
    error = caught.value
    assert (error.provider, error.code) == ("azure.queue", "QueueNotFound")
    assert error.destination == "azure-queue://no-such-queue"
    assert "s3cr3t" not in str(error)


def test_queue_send_many_reports_each_item(azurite: Azurite) -> None:
    queue = _queue(azurite)
    result = sdk.destination(f"azure-queue://{queue.queue_name}").send_many(
        [{"n": 1}, b"x" * (64 * 1024), {"n": 3}])
    assert [item.ok for item in result] == [True, False, True]
    assert result.failed[0].index == 1 and result.failed[0].error.code == "polyfn.TooLarge"
    assert sorted(m.id for m in _receive(queue)) == sorted(i for i in result.ids if i)


def test_queue_connection_named_in_the_address(azurite: Azurite,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    queue = _queue(azurite)
    monkeypatch.setenv("OrdersStorage", azurite.connection_string)
    monkeypatch.delenv("AzureWebJobsStorage")
    sdk.destination(f"azure-queue://{queue.queue_name}?connection=OrdersStorage").send("hi")
    assert len(_receive(queue)) == 1
    with pytest.raises(sdk.ConfigurationError, match="AzureWebJobsStorage"):
        sdk.Destination(f"azure-queue://{queue.queue_name}").send("hi")


# -- Blob containers --------------------------------------------------------------


def _container(azurite: Azurite) -> str:
    name = unique("c")
    BlobServiceClient.from_connection_string(azurite.connection_string).create_container(name)
    return name


def test_blob_write_read_exists_list_delete(azurite: Azurite) -> None:
    name = _container(azurite)
    round_trip(sdk.bucket(f"azure-blob://{name}"))
    props = BlobServiceClient.from_connection_string(azurite.connection_string) \
        .get_blob_client(name, "a/b.json").get_blob_properties()
    assert props.content_settings.content_type == "application/json"
    assert props.metadata == {"tenant": "a"}


def test_blob_missing_is_not_found(azurite: Azurite) -> None:
    missing_is_not_found(sdk.bucket(f"azure-blob://{_container(azurite)}"), "BlobNotFound")
    with pytest.raises(sdk.NotFound, match="ContainerNotFound"):
        sdk.bucket("azure-blob://no-such-container").read("k")


def test_blob_open_streams_in_ranges(azurite: Azurite) -> None:
    """What the stream holds between reads stays one 4 MiB range, whatever the
    blob's size (the client's transient buffers while a range arrives aside)."""
    files = sdk.bucket(f"azure-blob://{_container(azurite)}")
    content = bytes(range(256)) * (64 * 1024)  # 16 MiB
    files.write("big.bin", content)
    held: list[int] = []
    tracemalloc.start()
    try:
        with files.open("big.bin") as stream:
            first = stream.read(10)
            total = len(first)
            while chunk := stream.read(1024 * 1024):
                total += len(chunk)
                del chunk
                held.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    assert first == content[:10] and total == len(content)
    assert max(held) < 8 * 1024 * 1024, max(held)  # never the whole 16 MiB


def test_blob_stream_reads_whole_object(azurite: Azurite) -> None:
    files = sdk.bucket(f"azure-blob://{_container(azurite)}")
    content = bytes(range(256)) * (20 * 1024)  # 5 MiB: two ranges
    files.write("mid.bin", content)
    with files.open("mid.bin") as stream:
        assert stream.read() == content


def test_storage_event_reads_its_blob(azurite: Azurite) -> None:
    """A blob trigger (and an Event Grid blob event) name the blob; ``read``/``open``
    fetch it from the account the function's storage setting names."""
    name = _container(azurite)
    sdk.bucket(f"azure-blob://{name}").write("in/report.csv", "a,b\n1,2\n")
    seen, function = capture("blob")
    function(blob=inputs.blob_stream(b"a,b\n1,2\n", name=f"{name}/in/report.csv"))
    (event,) = seen
    assert (event.bucket, event.key) == (name, "in/report.csv")
    assert event.read() == b"a,b\n1,2\n"
    with event.open() as stream:
        assert stream.read() == b"a,b\n1,2\n"
    from adapters.azure import decode

    (grid_event,) = decode([{  # https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage
        "id": "1", "eventType": "Microsoft.Storage.BlobCreated", "dataVersion": "",
        "topic": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/"
                 "storageAccounts/devstoreaccount1",
        "subject": f"/blobServices/default/containers/{name}/blobs/in/report.csv",
        "eventTime": "2024-05-15T12:00:00Z", "metadataVersion": "1",
        "data": {"api": "PutBlob", "contentType": "text/csv", "contentLength": 8,
                 "blobType": "BlockBlob", "url": f"http://127.0.0.1/{name}/in/report.csv"}}])
    assert grid_event.trigger == "azure.blob.eventgrid"
    assert grid_event.read() == b"a,b\n1,2\n"


def test_queue_send_async_keeps_the_loop_running(azurite: Azurite) -> None:
    import asyncio

    queue = _queue(azurite)
    orders = sdk.destination(f"azure-queue://{queue.queue_name}")

    async def main() -> tuple[list[str], int]:
        async with Ticker() as ticker:
            ids = await asyncio.gather(*(orders.send_async({"n": n}) for n in range(5)))
        return list(ids), ticker.ticks

    ids, ticks = asyncio.run(main())
    assert ticks > 5  # the loop ran while the sends were in flight
    assert sorted(m.id for m in _receive(queue)) == sorted(ids)
