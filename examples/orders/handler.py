"""Orders from a queue or topic, written once for every cloud.

Each message holds one order as JSON: ``{"id": "o-1", "sku": "BOOK-1", "qty": 2}``.
polyfn validates it into :class:`Order` and calls ``handle`` once per message. A
message fails alone, never its batch: when its data does not fit the model (a
``qty`` of 0 or less) or when the handler raises (a flagged SKU). SQS gets it back
through ``batchItemFailures``, Service Bus abandons it, Pub/Sub redelivers it, until
the dead-letter policy takes it.

An accepted order is forwarded to the destination named by ``ACCEPTED_ORDERS``
(``sqs://accepted-orders``, ``pubsub://projects/P/topics/accepted``,
``servicebus://...``: configuration, not code; docs/outputs.md). A failed send
raises, so the incoming message is retried like any other failure.
"""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, Field

import sdk
from sdk import Context, Message

#: SKUs that must not ship: their orders fail and end up dead-lettered.
FLAGGED_SKUS = frozenset({"RECALLED-1"})


class Order(BaseModel):
    id: str
    sku: str
    qty: int = Field(gt=0)


class OrderRejected(Exception):
    """The order cannot be fulfilled; raising fails this message only."""


@sdk.function
def handle(message: Message[Order], context: Context) -> None:
    order = message.data
    log = context.logger.bind(order_id=order.id, message_id=message.id)
    if order.sku in FLAGGED_SKUS:
        log.warning("order rejected", sku=order.sku, delivery_count=message.delivery_count)
        raise OrderRejected(f"order {order.id}: SKU {order.sku} is flagged")
    log.info("order accepted", sku=order.sku, qty=order.qty)
    address = os.environ.get("ACCEPTED_ORDERS")
    if address:
        sent = _destination(address).send(order, attributes={"order_id": order.id})
        log.info("order forwarded", destination=address, forwarded_id=sent)


@lru_cache(maxsize=4)
def _destination(address: str) -> sdk.Destination:
    """One destination (and so one client) per address, reused by warm invocations."""
    return sdk.destination(address)
