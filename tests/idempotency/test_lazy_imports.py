"""What idempotency costs a cold start: nothing until used, and a store's client
library only on the store's first call. A missing library names its extra."""

from __future__ import annotations

import sys

import pytest

import sdk
from sdk import ConfigurationError
from tests.support.imports import loaded_by, top_level

#: The client libraries' own modules. (Checking that ``azure.data.tables`` exists
#: imports the ``azure`` and ``azure.data`` namespace packages, which hold no code.)
CLIENT_LIBRARIES = {"boto3", "botocore", "azure.data.tables", "azure.core",
                    "google.cloud.firestore", "google.api_core", "grpc", "redis"}

_DECORATED = """
import os
os.environ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true"
import sdk, adapters.aws
stores = [sdk.store(a) for a in ("dynamodb://t", "azure-table://t", "firestore://c",
                                 "redis://127.0.0.1:1/0", "memory://")]
for store in stores:
    @sdk.idempotent(store=store)
    def handle(message: sdk.Message) -> None: ...
    adapters.aws.lambda_handler(handle)
"""


def test_import_sdk_loads_no_idempotency_code() -> None:
    loaded = loaded_by("import sdk")
    assert not {name for name in loaded if name.startswith(("sdk._idempotency", "hashlib"))}


def test_building_stores_and_decorating_loads_no_client_library() -> None:
    loaded = loaded_by(_DECORATED)
    assert not {name for name in loaded
                if any(name == lib or name.startswith(f"{lib}.") for lib in CLIENT_LIBRARIES)}


def test_the_first_call_loads_only_its_own_library() -> None:
    loaded = top_level(loaded_by(
        "import sdk\n"
        "store = sdk.store('dynamodb://t?region=us-east-1')\n"
        "store.client\n"))
    assert "boto3" in loaded
    assert not loaded & {"azure", "google", "redis"}


@pytest.mark.parametrize(("address", "library", "extra"), [
    ("dynamodb://t", "boto3", "aws"),
    ("azure-table://t", "azure.data.tables", "azure"),
    ("firestore://c", "google.cloud.firestore", "gcp"),
    ("redis://localhost/0", "redis", "redis"),
])
def test_a_missing_client_library_names_its_extra(monkeypatch: pytest.MonkeyPatch,
                                                  address: str, library: str,
                                                  extra: str) -> None:
    monkeypatch.setitem(sys.modules, library, None)  # what an absent package looks like
    monkeypatch.setenv("AzureWebJobsStorage", "UseDevelopmentStorage=true")
    with pytest.raises(ConfigurationError, match=rf"pip install 'polyfn\[{extra}\]'"):
        sdk.store(address)


@pytest.mark.parametrize("address", ["nope://x", "dynamodb", "", "memory:/x"])
def test_an_unknown_address_is_a_configuration_error(address: str) -> None:
    with pytest.raises(ConfigurationError):
        sdk.store(address)


def test_an_azure_table_store_needs_its_connection_setting(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OrdersStorage", raising=False)
    with pytest.raises(ConfigurationError, match="OrdersStorage"):
        sdk.store("azure-table://t?connection=OrdersStorage")


def test_store_names_hold_no_credentials() -> None:
    store = sdk.store("redis://:s3cret@cache.internal:6380/2?prefix=x:")
    assert store.name == "redis://cache.internal:6380/2"
