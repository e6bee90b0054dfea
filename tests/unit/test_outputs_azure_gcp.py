"""Azure and Google Cloud outputs without a server: addresses, where they connect,
what they import (nothing until the first send), and the missing-extra error."""

from __future__ import annotations

import subprocess
import sys

import pytest

import sdk
from sdk._outputs._address import BUCKETS, DESTINATIONS, parse
from tests.support.imports import loaded_by, top_level

ADDRESSES = [
    "azure-queue://orders", "azure-queue://orders?connection=Storage&encoding=none",
    "servicebus://orders", "servicebus://ns.servicebus.windows.net/orders",
    "eventhubs://telemetry?connection=Hub", "eventgrid://topic.westus2-1.eventgrid.azure.net",
    "pubsub://projects/p1/topics/orders", "pubsub://orders",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_destination_kinds(address: str) -> None:
    assert parse(address, DESTINATIONS).kind == address.split("://", 1)[0]


def test_bucket_kinds() -> None:
    assert parse("azure-blob://uploads", BUCKETS).kind == "azure-blob"
    assert parse("gs://uploads", BUCKETS).kind == "gs"


def test_building_them_loads_no_provider_library() -> None:
    code = "import sdk\n" + "".join(f"sdk.destination({a!r})\n" for a in ADDRESSES) + (
        "sdk.bucket('azure-blob://c')\nsdk.bucket('gs://b')\n")
    assert not top_level(loaded_by(code)) & {"azure", "google", "grpc", "asyncio"}


def test_a_driver_loads_its_client_not_the_trigger_adapters() -> None:
    """A function on one cloud sending to another pays for the client only."""
    loaded = loaded_by(
        "from sdk._outputs._address import BUCKETS, DESTINATIONS, driver_class\n"
        "for kind in ('azure-queue', 'servicebus', 'eventhubs', 'eventgrid', 'pubsub'):\n"
        "    driver_class(kind, DESTINATIONS)\n"
        "for kind in ('azure-blob', 'gs'):\n"
        "    driver_class(kind, BUCKETS)\n")
    assert {"azure.storage.queue", "azure.servicebus", "google.cloud.pubsub_v1"} <= loaded
    assert not loaded & {"adapters.azure", "adapters.gcp", "adapters.cloudevents",
                         "azure.functions", "functions_framework", "flask"}


@pytest.mark.parametrize(("blocked", "address", "extra"), [
    ("azure.storage", "azure-queue://q", "azure"), ("azure.servicebus", "servicebus://q", "azure"),
    ("google.cloud.pubsub_v1", "pubsub://projects/p1/topics/t", "gcp"),
])
def test_a_missing_client_library_names_the_extra(blocked: str, address: str,
                                                  extra: str) -> None:
    code = (f"import sys\nsys.modules[{blocked!r}] = None\nimport sdk\n"
            f"try:\n    sdk.destination({address!r}).send('x')\n"
            "except sdk.ConfigurationError as e:\n    print('ERR', e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"AzureWebJobsStorage": "UseDevelopmentStorage=true",
                                          "AzureWebJobsServiceBus": "x"}).stdout
    assert out.startswith("ERR") and f"pip install 'polyfn[{extra}]'" in out


def test_connections_follow_the_functions_conventions(monkeypatch: pytest.MonkeyPatch) -> None:
    from adapters._outputs.azure._queue import StorageQueue

    monkeypatch.setenv("AzureWebJobsStorage", "UseDevelopmentStorage=true")
    driver = StorageQueue(parse("azure-queue://orders", DESTINATIONS))
    assert driver.connection.connection_string == "UseDevelopmentStorage=true"
    assert driver.client().url == "http://127.0.0.1:10001/devstoreaccount1/orders"
    monkeypatch.setenv("Jobs__accountName", "acct")
    driver = StorageQueue(parse("azure-queue://orders?connection=Jobs", DESTINATIONS))
    assert driver.connection.endpoint == "https://acct.queue.core.windows.net"
    monkeypatch.setenv("Jobs__queueServiceUri", "https://q.example/")
    driver = StorageQueue(parse("azure-queue://orders?connection=Jobs", DESTINATIONS))
    assert driver.connection.endpoint == "https://q.example"
    driver = StorageQueue(parse("azure-queue://127.0.0.1:10001/orders", DESTINATIONS))
    assert (driver.connection.endpoint, driver.connection.entity) == (
        "http://127.0.0.1:10001", "orders")


def test_missing_connection_names_the_settings_not_values(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AzureWebJobsStorage", raising=False)
    with pytest.raises(sdk.ConfigurationError, match="AzureWebJobsStorage__accountName"):
        sdk.Destination("azure-queue://orders").send("x")
    with pytest.raises(sdk.ConfigurationError, match="encoding must be"):
        monkeypatch.setenv("AzureWebJobsStorage", "UseDevelopmentStorage=true")
        sdk.Destination("azure-queue://orders?encoding=utf7").send("x")


def test_eventgrid_endpoint_and_schema() -> None:
    from adapters._outputs.azure._eventgrid import EventGrid

    driver = EventGrid(parse("eventgrid://t.westus2-1.eventgrid.azure.net", DESTINATIONS))
    assert driver.endpoint == "https://t.westus2-1.eventgrid.azure.net/api/events"
    assert driver.cloudevents and "source" in driver.carries
    driver = EventGrid(parse("eventgrid://localhost:7071/x?schema=eventgrid", DESTINATIONS))
    assert driver.endpoint == "http://localhost:7071/x"
    assert not driver.cloudevents and "source" not in driver.carries
    with pytest.raises(sdk.ConfigurationError, match="schema must be"):
        EventGrid(parse("eventgrid://h?schema=xml", DESTINATIONS))


def test_pubsub_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    from adapters._outputs.gcp._pubsub import PubSub

    assert PubSub(parse("pubsub://projects/p1/topics/t1", DESTINATIONS)).topic == (
        "projects/p1/topics/t1")
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "p2")
    assert PubSub(parse("pubsub://t2", DESTINATIONS)).topic == "projects/p2/topics/t2"
    with pytest.raises(sdk.ConfigurationError, match="pubsub://projects/PROJECT"):
        PubSub(parse("pubsub://projects/p1/subscriptions/s", DESTINATIONS))
