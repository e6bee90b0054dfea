"""``servicebus://ENTITY[?connection=SETTING]`` or
``servicebus://NAMESPACE.servicebus.windows.net/ENTITY``: a Service Bus queue or
topic (one AMQP entity path, so the same address form serves both).

The inverse of the Service Bus trigger (``adapters/azure/_servicebus.py``):

=========================  =========================================================
polyfn                     ServiceBusMessage
=========================  =========================================================
data                       body (bytes), ``content_type`` from the data's type
id                         ``message_id`` (a new UUID when not given; returned)
subject                    ``subject``
key                        ``session_id`` (session-enabled entities need it)
attributes                 ``application_properties``, except ``correlation_id``,
                           ``reply_to``, ``reply_to_session_id`` and ``to``, which
                           set those system properties (the decoder reads them back
                           into the same attribute names)
trace context              ``Diagnostic-Id`` + ``traceparent`` application properties
=========================  =========================================================

Limit: 256 KiB per message on the Standard tier (body and properties); Premium
entities allow up to 100 MiB, set with ``?max_size=BYTES``
(https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas).
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

from azure.core.exceptions import AzureError
from azure.servicebus import ServiceBusClient, ServiceBusMessage
from azure.servicebus.exceptions import MessageSizeExceededError

from sdk._outputs._address import Address
from sdk._outputs._driver import Limits, Outcome
from sdk._outputs._message import OutgoingMessage
from sdk.errors import ConfigurationError, PublishError

from ._connection import Service, cached, credential, option, resolve
from ._errors import publish_error
from ._trace import amqp_trace

__all__ = ["SYSTEM_PROPERTIES", "ServiceBus"]

SERVICE = Service("AzureWebJobsServiceBus", ("fullyQualifiedNamespace",))
#: Attribute names that are ServiceBusMessage system properties (keyword = name).
SYSTEM_PROPERTIES = ("correlation_id", "reply_to", "reply_to_session_id", "to")
KiB = 1024


def _properties_size(properties: dict[Any, Any]) -> int:
    return sum(len(str(k).encode()) + len(str(v).encode()) for k, v in properties.items())


class _Sender:
    """A ``ServiceBusSender`` and the lock it needs: senders are not thread-safe
    (https://learn.microsoft.com/python/api/overview/azure/servicebus-readme#thread-safety)."""

    def __init__(self, sender: Any) -> None:
        self.sender = sender
        self.lock = threading.Lock()


class ServiceBus:
    """Driver for one queue or topic."""

    provider = "azure.servicebus"
    carries = frozenset({"attributes", "key", "id", "subject"})

    def __init__(self, address: Address) -> None:
        self.address = address.text
        self.connection = resolve(address, SERVICE)
        size = option(address, "max_size")
        if size is not None and not size.isdigit():
            raise ConfigurationError(f"{address.text}: max_size must be a number of bytes")
        limit = int(size) if size else 256 * KiB
        self.limits = Limits(message_bytes=limit, batch_items=100, batch_bytes=limit)

    def sender(self) -> _Sender:
        return cached(("azure.servicebus", self.connection), self._build)

    def _build(self) -> _Sender:
        c = self.connection
        key = ("azure.servicebus.client", c.connection_string, c.endpoint)
        return _Sender(cached(key, self._client).get_queue_sender(c.entity))

    def _client(self) -> ServiceBusClient:
        """One client (one AMQP connection) per namespace, shared by its senders."""
        c = self.connection
        if c.connection_string:
            return ServiceBusClient.from_connection_string(c.connection_string)
        return ServiceBusClient(str(c.endpoint).split("://", 1)[-1], credential())

    def prepare(self, message: OutgoingMessage) -> tuple[ServiceBusMessage, int]:
        system: dict[str, Any] = {name: message.attributes[name] for name in SYSTEM_PROPERTIES
                                  if name in message.attributes}
        properties: dict[str | bytes, Any] = {k: v for k, v in message.attributes.items()
                                              if k not in system}
        properties.update(amqp_trace(message.trace))
        entry = ServiceBusMessage(
            message.body, content_type=message.content_type,
            message_id=message.id or uuid.uuid4().hex, subject=message.subject,
            session_id=message.key, application_properties=properties or None, **system)
        size = len(message.body) + _properties_size(properties) + _properties_size(system)
        return entry, size

    def send(self, entry: ServiceBusMessage) -> str:
        handle = self.sender()
        try:
            with handle.lock:
                handle.sender.send_messages(entry)
        except AzureError as exc:
            raise publish_error(self.address, self.provider, exc) from None
        return str(entry.message_id)

    def send_batch(self, entries: list[ServiceBusMessage]) -> list[Outcome]:
        """As few ``ServiceBusMessageBatch`` sends as fit (the client measures the
        AMQP size); one batch succeeds or fails whole, so its entries share its
        outcome."""
        handle = self.sender()
        outcomes = [Outcome(code="polyfn.NoResult")] * len(entries)
        with handle.lock:
            try:
                groups = _batches(handle.sender, entries)
            except AzureError as exc:
                return self._failed(exc, len(entries))
            for batch, members in groups:
                for index, outcome in zip(members, self._flush(handle, batch, entries, members),
                                          strict=True):
                    outcomes[index] = outcome
        return outcomes

    def _flush(self, handle: _Sender, batch: Any, entries: list[ServiceBusMessage],
               members: list[int]) -> list[Outcome]:
        if batch is None:  # alone larger than the entity allows
            return [Outcome(code="MessageSizeExceededError")]
        try:
            handle.sender.send_messages(batch)
        except AzureError as exc:
            return self._failed(exc, len(members))
        return [Outcome(id=str(entries[i].message_id)) for i in members]

    def _failed(self, exc: BaseException, count: int) -> list[Outcome]:
        error: PublishError = publish_error(self.address, self.provider, exc)
        return [Outcome(code=error.code, detail=error.detail)] * count


def _batches(sender: Any, entries: list[ServiceBusMessage]) -> list[tuple[Any, list[int]]]:
    """``(batch, entry indexes)`` in order; ``(None, [i])`` for an entry that fits
    in no batch."""
    groups: list[tuple[Any, list[int]]] = []
    batch: Any = None
    for index, entry in enumerate(entries):
        if batch is not None:
            try:
                batch.add_message(entry)
                groups[-1][1].append(index)
                continue
            except MessageSizeExceededError:
                pass
        batch = sender.create_message_batch()
        try:
            batch.add_message(entry)
        except MessageSizeExceededError:
            groups.append((None, [index]))
            batch = None
            continue
        groups.append((batch, [index]))
    return groups
