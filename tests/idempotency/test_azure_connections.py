"""Where an ``azure-table://`` store connects: Table Storage and Cosmos DB for Table.

Cosmos DB for Table speaks the Table API (the same entities, ETags and
``If-Match``), so the one store serves both; what differs is the connection.
There is no Cosmos DB emulator here (only the Windows one serves the Table API):
the parsing and the endpoint resolution are checked on the client azure-data-tables
builds (no request is sent), and the connection-string path end to end on
Azurite, with a connection string shaped as the Cosmos DB portal gives it (the
account, its key and a ``TableEndpoint`` only).
"""

from __future__ import annotations

import importlib.util
import time
from typing import Any

import pytest

import sdk
from sdk import ConfigurationError
from sdk.idempotency import COMPLETED, IN_PROGRESS, IdempotencyRecord
from tests.support.servers.azurite import ACCOUNT, KEY

pytest.importorskip("azure.data.tables")

KEY_B64 = "c2VjcmV0LWtleQ=="  # any base64 text: nothing is signed and sent here
COSMOS = ("DefaultEndpointsProtocol=https;AccountName=orders-acct;"
          f"AccountKey={KEY_B64};TableEndpoint=https://orders-acct.table.cosmos.azure.com:443/;")
STORAGE = (f"DefaultEndpointsProtocol=https;AccountName=ordersacct;AccountKey={KEY_B64};"
           "EndpointSuffix=core.windows.net")
HAS_IDENTITY = importlib.util.find_spec("azure.identity") is not None


def test_a_cosmos_db_connection_string_reaches_its_table_endpoint(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CosmosTables", COSMOS)
    store = sdk.store("azure-table://idempotency?connection=CosmosTables")
    assert store.name == "azure-table://idempotency"  # no secret in the name
    assert store.endpoint is None  # a connection string: its key signs the requests
    client = store.client  # built here, no request sent
    assert client.url == "https://orders-acct.table.cosmos.azure.com:443"
    assert (client.account_name, client.table_name) == ("orders-acct", "idempotency")
    assert client.credential.named_key.name == "orders-acct"
    # The library's own Cosmos DB detection (its request policies differ for Cosmos).
    assert client._cosmos_endpoint is True


def test_a_storage_connection_string_is_not_taken_for_cosmos_db(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AzureWebJobsStorage", STORAGE)
    client = sdk.store("azure-table://idempotency").client
    assert client.url == "https://ordersacct.table.core.windows.net"
    assert client._cosmos_endpoint is False


@pytest.mark.parametrize(("address", "settings", "endpoint", "table"), [
    ("azure-table://idem?connection=Cosmos",
     {"Cosmos__tableServiceUri": "https://orders-acct.table.cosmos.azure.com/"},
     "https://orders-acct.table.cosmos.azure.com", "idem"),
    ("azure-table://idem?connection=Tables",
     {"Tables__serviceUri": "https://ordersacct.table.core.windows.net"},
     "https://ordersacct.table.core.windows.net", "idem"),
    ("azure-table://idem", {"AzureWebJobsStorage__accountName": "ordersacct"},
     "https://ordersacct.table.core.windows.net", "idem"),
    ("azure-table://orders-acct.table.cosmos.azure.com/idem", {},
     "https://orders-acct.table.cosmos.azure.com", "idem"),
], ids=["cosmos tableServiceUri", "storage serviceUri", "storage accountName",
        "cosmos account address"])
def test_identity_based_connections_resolve_to_the_account_endpoint(
        monkeypatch: pytest.MonkeyPatch, address: str, settings: dict[str, str], endpoint: str,
        table: str) -> None:
    monkeypatch.delenv("AzureWebJobsStorage", raising=False)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    store = sdk.store(address)
    assert (store.endpoint, store.table) == (endpoint, table)
    if not HAS_IDENTITY:
        with pytest.raises(ConfigurationError, match="azure-identity"):
            store.connect()
        return
    client = store.connect().client  # DefaultAzureCredential: no token asked for yet
    assert client.url == endpoint and client.table_name == table
    assert client._cosmos_endpoint is ("cosmos" in endpoint)


def test_no_connection_names_every_setting_looked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("Orders", "Orders__tableServiceUri", "Orders__serviceUri",
                 "Orders__accountName"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError) as raised:
        sdk.store("azure-table://idem?connection=Orders")
    message = str(raised.value)
    assert all(name in message for name in ("Orders__tableServiceUri", "Orders__accountName"))


@pytest.mark.servers
def test_a_cosmos_shaped_connection_string_works_end_to_end_on_azurite(
        azure_table_address: str, azurite: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    table = azure_table_address.partition("://")[2]
    monkeypatch.setenv("TablesOnly", f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};"
                                     f"AccountKey={KEY};TableEndpoint="
                                     f"{azurite.endpoint(azurite.table_port)}/;")
    store = sdk.store(f"azure-table://{table}?connection=TablesOnly")
    claim = IdempotencyRecord("fn#k", IN_PROGRESS, time.time() + 30, "h")
    assert store.put_if_absent(claim, time.time()) is None
    done = IdempotencyRecord("fn#k", COMPLETED, time.time() + 300, "h", '{"ok":1}')
    assert store.update_if(done, claim)
    found = store.put_if_absent(IdempotencyRecord("fn#k", IN_PROGRESS, time.time() + 30, "h"),
                                time.time())
    assert found is not None and (found.status, found.result) == (COMPLETED, '{"ok":1}')
