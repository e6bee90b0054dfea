"""Round trips per event on the remote stores, counted where they happen: the
requests botocore sends (its ``before-send`` event), the command packets
redis-py writes to its socket (a connection class that counts them; Redis's own
``INFO commandstats`` also counts the commands a script runs inside), the
requests azure-core sends (its ``raw_request_hook``), the RPCs the Firestore
client's gRPC channel carries (an interceptor on its emulator channel).

=================================  ========  =====  ===========  =========
path                               DynamoDB  Redis  Azure Table  Firestore
=================================  ========  =====  ===========  =========
new event (claim + complete)       2         2      2            2
duplicate (completed)              1         1      2            2
takeover of a crashed claim + run  2         2      4            4
handler failed (claim + release)   2         2      2            2
duplicate, ``local_cache``         0         0      0            0
=================================  ========  =====  ===========  =========

Table Storage and Firestore refuse a create without returning the existing
record, so a duplicate reads it too.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import sdk
from sdk import Message
from sdk._idempotency._keys import default_key, digest
from sdk.idempotency import IN_PROGRESS, IdempotencyRecord

pytestmark = pytest.mark.servers


def message(n: int) -> Message[Any]:
    return Message(provider="aws", trigger="aws.sqs", id=f"m-{n}", source="arn:q", queue="q",
                   payload=json.dumps({"order": n}))


def context() -> sdk.Context:
    return sdk.Context(provider="aws", request_id="r")


def paths(store: Any, count: Callable[[], int], **options: Any) -> dict[str, int]:
    """Round trips of each path through an idempotent handler on ``store``."""
    fail = {"now": False}

    @sdk.function
    @sdk.idempotent(store=store, name="rt", **options)
    def handle(event: Message[Any]) -> dict[str, int]:
        if fail["now"]:
            raise RuntimeError("handler failed")
        return {"order": event.data["order"]}

    handle.call(message(0), context())  # connections, scripts: cold start, not per event
    measured: dict[str, int] = {}

    def measure(name: str, n: int) -> None:
        before = count()
        with contextlib.suppress(RuntimeError):
            handle.call(message(n), context())
        measured[name] = count() - before

    measure("new", 1)
    measure("duplicate", 1)
    # A claim whose holder crashed, its lease over: the next delivery takes it over.
    crashed = IdempotencyRecord(digest("rt", default_key(message(3)), "t", "s"), IN_PROGRESS,
                                time.time() + 0.3)
    assert store.put_if_absent(crashed, time.time()) is None
    time.sleep(0.4)
    measure("takeover", 3)
    fail["now"] = True
    measure("failed", 2)
    return measured


@pytest.fixture
def botocore_requests(dynamodb_address: str) -> Iterator[tuple[Any, Callable[[], int]]]:
    store = sdk.store(dynamodb_address)
    sent: list[str] = []

    def count(event_name: str, **kwargs: Any) -> None:
        sent.append(event_name)

    events = store.client.meta.events  # type: ignore[attr-defined]
    events.register("before-send.dynamodb", count)
    try:
        yield store, lambda: len(sent)
    finally:
        events.unregister("before-send.dynamodb", count)


def test_dynamodb_round_trips(botocore_requests: tuple[Any, Callable[[], int]]) -> None:
    store, count = botocore_requests
    assert paths(store, count) == {"new": 2, "duplicate": 1, "takeover": 2, "failed": 2}


def test_dynamodb_duplicates_cost_nothing_with_the_local_cache(
        botocore_requests: tuple[Any, Callable[[], int]]) -> None:
    store, count = botocore_requests
    assert paths(store, count, local_cache=True)["duplicate"] == 0


def _redis_store(address: str) -> tuple[Any, Callable[[], int]]:
    """The store on a redis-py client whose connections count what they send."""
    import redis

    from adapters._stores.redis import RedisStore

    sent: list[int] = []

    class Counting(redis.Connection):
        def send_packed_command(self, command: Any, check_health: bool = True) -> None:
            sent.append(1)
            super().send_packed_command(command, check_health)

    url, _, query = address.partition("?")
    client = redis.Redis.from_url(url, connection_class=Counting)
    return RedisStore(url, client=client, prefix=query.partition("=")[2]), lambda: len(sent)


def test_redis_round_trips(redis_address: str) -> None:
    assert paths(*_redis_store(redis_address)) == {"new": 2, "duplicate": 1, "takeover": 2,
                                                   "failed": 2}


def test_redis_duplicates_cost_nothing_with_the_local_cache(redis_address: str) -> None:
    assert paths(*_redis_store(redis_address), local_cache=True)["duplicate"] == 0


def test_azure_table_round_trips(azure_table_address: str, azurite: Any) -> None:
    from azure.data.tables import TableClient

    from adapters._stores.azure_table import TableStore

    sent: list[str] = []
    table = azure_table_address.partition("://")[2]
    client = TableClient.from_connection_string(
        azurite.connection_string, table_name=table,
        raw_request_hook=lambda request: sent.append(request.http_request.method))
    store = TableStore(table, client=client)
    assert paths(store, lambda: len(sent)) == {"new": 2, "duplicate": 2, "takeover": 4,
                                                "failed": 2}


def test_firestore_round_trips(firestore_address: str) -> None:
    import grpc
    from google.cloud import firestore

    from adapters._stores.firestore import FirestoreStore

    sent: list[str] = []

    class Count(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
        def intercept_unary_unary(self, call: Any, details: Any, request: Any) -> Any:
            sent.append(details.method)
            return call(details, request)

        def intercept_unary_stream(self, call: Any, details: Any, request: Any) -> Any:
            sent.append(details.method)
            return call(details, request)

    class CountingClient(firestore.Client):  # type: ignore[misc]
        """The real client, its emulator channel passing every RPC through Count."""

        def _emulator_channel(self, transport: Any) -> Any:
            return grpc.intercept_channel(super()._emulator_channel(transport), Count())

    store = FirestoreStore(firestore_address.partition("://")[2], client=CountingClient())
    assert paths(store, lambda: len(sent)) == {"new": 2, "duplicate": 2, "takeover": 4,
                                                "failed": 2}
