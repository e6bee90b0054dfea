"""One store per backend, each on its real server (tests/support/servers), empty.

``address`` is parametrized over every backend, so each test that takes it runs
on the in-memory store, DynamoDB (moto), Redis, Azure Table Storage (Azurite)
and Firestore (the gcloud emulator). Names are unique per test: Azurite and the
Firestore emulator have no reset.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

#: Every backend, as ``address`` is parametrized.
BACKENDS = ("memory", "dynamodb", "redis", "azure-table", "firestore")
#: Backends another process can reach (the memory store is this process's own).
SHARED = tuple(b for b in BACKENDS if b != "memory")


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


@pytest.fixture(params=BACKENDS)
def address(request: pytest.FixtureRequest) -> str:
    """An empty idempotency store's address, one backend per parameter."""
    return str(request.getfixturevalue(f"{request.param.replace('-', '_')}_address"))


@pytest.fixture(params=SHARED)
def shared_address(request: pytest.FixtureRequest) -> str:
    """An empty store's address that other processes reach too."""
    return str(request.getfixturevalue(f"{request.param.replace('-', '_')}_address"))


@pytest.fixture
def memory_address() -> str:
    return f"memory://{unique('t')}"


@pytest.fixture
def dynamodb_address(aws: object) -> str:
    import boto3

    table = unique("idempotency-")
    boto3.client("dynamodb").create_table(
        TableName=table, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    return f"dynamodb://{table}"


@pytest.fixture
def redis_address(redis_url: str) -> str:
    return f"{redis_url}?prefix={unique('t')}:"


@pytest.fixture
def azure_table_address(azurite: Any) -> str:
    from azure.data.tables import TableServiceClient

    table = unique("idem")
    service = TableServiceClient.from_connection_string(azurite.connection_string)
    service.create_table(table)
    return f"azure-table://{table}"


@pytest.fixture
def firestore_address(firestore: object) -> str:
    return f"firestore://{unique('idempotency-')}"
