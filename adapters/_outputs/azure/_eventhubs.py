"""``eventhubs://HUB?connection=SETTING`` or
``eventhubs://NAMESPACE.servicebus.windows.net/HUB``: an Event Hub.

The inverse of the Event Hubs trigger (``adapters/azure/_eventhub.py``):

=============  ==================================================================
polyfn         EventData
=============  ==================================================================
data           body (bytes); ``content_type`` set, though the trigger does not
               pass it to the function
key            the batch's ``partition_key`` (the trigger's ``ordering_key``)
attributes     ``properties`` (the trigger's ``Properties``)
trace context  ``Diagnostic-Id`` + ``traceparent`` properties
=============  ==================================================================

Each event gets a new UUID ``message_id``, which ``send`` returns: Event Hubs
assigns no id of its own on send (sequence numbers exist only once stored).
Events travel in ``EventDataBatch``es, one partition key per batch, so
``send_many`` groups items by key and keeps their order within a key.
Limit: 1 MiB per event and per batch (https://learn.microsoft.com/azure/event-hubs/event-hubs-quotas).
Functions has no default Event Hubs connection setting: name one with ``connection=``.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

from azure.core.exceptions import AzureError
from azure.eventhub import EventData, EventHubProducerClient
from azure.eventhub.exceptions import EventHubError

from sdk._outputs._address import Address
from sdk._outputs._driver import Limits, Outcome
from sdk._outputs._message import OutgoingMessage

from ._connection import Service, cached, credential, resolve
from ._errors import publish_error
from ._trace import amqp_trace

__all__ = ["EventHubs"]

SERVICE = Service(None, ("fullyQualifiedNamespace",))
MiB = 1024 * 1024
_ERRORS = (AzureError, EventHubError, ValueError)  # ValueError: the batch is full


class _Producer:
    """A producer and its lock (one send at a time on a client's AMQP link)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.lock = threading.Lock()


class EventHubs:
    """Driver for one Event Hub."""

    provider = "azure.eventhubs"
    limits = Limits(message_bytes=MiB, batch_items=1000, batch_bytes=MiB)
    carries = frozenset({"attributes", "key"})

    def __init__(self, address: Address) -> None:
        self.address = address.text
        self.connection = resolve(address, SERVICE)

    def producer(self) -> _Producer:
        return cached(("azure.eventhubs", self.connection), self._build)

    def _build(self) -> _Producer:
        c = self.connection
        if c.connection_string:
            client = EventHubProducerClient.from_connection_string(
                c.connection_string, eventhub_name=c.entity)
        else:
            client = EventHubProducerClient(str(c.endpoint).split("://", 1)[-1], c.entity,
                                            credential())
        return _Producer(client)

    def prepare(self, message: OutgoingMessage) -> tuple[tuple[EventData, str | None], int]:
        event = EventData(message.body)
        event.content_type = message.content_type
        event.message_id = uuid.uuid4().hex
        properties: dict[str | bytes, Any] = {}
        properties.update(message.attributes)
        properties.update(amqp_trace(message.trace))
        if properties:
            event.properties = properties
        size = len(message.body) + sum(len(str(k).encode()) + len(str(v).encode())
                                       for k, v in properties.items())
        return (event, message.key), size + len((message.key or "").encode())

    def send(self, entry: tuple[EventData, str | None]) -> str:
        event, key = entry
        producer = self.producer()
        try:
            with producer.lock:
                producer.client.send_event(event, partition_key=key)
        except _ERRORS as exc:
            raise publish_error(self.address, self.provider, exc) from None
        return str(event.message_id)

    def send_batch(self, entries: list[tuple[EventData, str | None]]) -> list[Outcome]:
        outcomes = [Outcome(code="polyfn.NoResult")] * len(entries)
        by_key: dict[str | None, list[int]] = {}
        for index, (_, key) in enumerate(entries):
            by_key.setdefault(key, []).append(index)
        producer = self.producer()
        with producer.lock:
            for key, members in by_key.items():
                for index, outcome in self._send_key(producer, key, entries, members):
                    outcomes[index] = outcome
        return outcomes

    def _send_key(self, producer: _Producer, key: str | None,
                  entries: list[tuple[EventData, str | None]], members: list[int]
                  ) -> list[tuple[int, Outcome]]:
        """The events of one partition key, in as few batches as fit."""
        done: list[tuple[int, Outcome]] = []
        batch: Any = None
        pending: list[int] = []
        for index in members:
            try:
                if batch is None:
                    batch = producer.client.create_batch(partition_key=key)
                try:
                    batch.add(entries[index][0])
                except ValueError:  # full: send it, start the next
                    if not pending:
                        raise  # larger than an empty batch: it fails alone
                    done += self._flush(producer, batch, pending, entries)
                    batch, pending = None, []
                    batch = producer.client.create_batch(partition_key=key)
                    batch.add(entries[index][0])
                pending.append(index)
            except _ERRORS as exc:
                done += self._fail(exc, [index])
        if pending:
            done += self._flush(producer, batch, pending, entries)
        return done

    def _flush(self, producer: _Producer, batch: Any, pending: list[int],
               entries: list[tuple[EventData, str | None]]) -> list[tuple[int, Outcome]]:
        try:
            producer.client.send_batch(batch)
        except _ERRORS as exc:
            return self._fail(exc, pending)
        return [(i, Outcome(id=str(entries[i][0].message_id))) for i in pending]

    def _fail(self, exc: BaseException, indexes: list[int]) -> list[tuple[int, Outcome]]:
        error = publish_error(self.address, self.provider, exc)
        return [(i, Outcome(code=error.code, detail=error.detail)) for i in indexes]
