"""``Message[Order]``: a message's JSON payload validated into a pydantic model.

* polyfn: an SQS record whose body is the payload, made into its
  :class:`sdk.Message` as the SQS adapter does for every record of a batch
  (``adapters.aws._sqs.SQSMessage``), then ``Function.prepare`` (what runs before
  a ``Message[Order]`` handler) and ``event.data``, the validated ``Order``.
* ``pydantic-model_validate_json``: ``Order.model_validate_json(payload)``, pydantic's
  fastest way from the same bytes (the target is measured against it).
* ``pydantic-model_validate``: ``Order.model_validate(json.loads(payload))``, how
  handlers often do it by hand.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, cast

from ._core import Impl, Scenario, Target, Unavailable, need

__all__ = ["PAYLOAD", "SCENARIO", "order_model"]

PAYLOAD = (
    b'{"order_id": 1042, "customer": "ada@example.com", "currency": "EUR",'
    b' "items": [{"sku": "BK-1", "quantity": 2, "price": 12.5},'
    b' {"sku": "PN-7", "quantity": 1, "price": 3.2}], "note": null}'
)

_MODEL: list[Any] = []


def order_model() -> Any:
    """The ``Order`` model (built once; pydantic is imported only here)."""
    if not _MODEL:
        try:
            from pydantic import BaseModel
        except ImportError:
            raise Unavailable("pydantic is not installed") from None

        class Item(BaseModel):
            sku: str
            quantity: int
            price: float

        class Order(BaseModel):
            order_id: int
            customer: str
            currency: str
            items: list[Item]
            note: str | None = None

        _MODEL.append(Order)
    return _MODEL[0]


def _dump(order: Any) -> Any:
    return order.model_dump()


def _polyfn() -> Callable[[], Any]:
    import sdk

    order = order_model()

    def handle(message: Any) -> None:
        return None

    # The model is a runtime value: the annotation is set rather than written.
    handle.__annotations__["message"] = cast(Any, sdk.Message)[order]
    fn = sdk.function(handle)
    build = need("adapters.aws._sqs", "the SQS trigger", attr="SQSMessage").SQSMessage
    record = {
        "messageId": "059f36b4-87a3-44ab-83d2-661975830001", "body": PAYLOAD.decode(),
        "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1710324930000"},
        "messageAttributes": {}, "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:orders",
    }

    def run() -> Any:
        return fn.prepare(build(record, "aws.sqs")).data

    return run


def _validate_json() -> Callable[[], Any]:
    validate = order_model().model_validate_json
    return lambda: validate(PAYLOAD)


def _validate() -> Callable[[], Any]:
    validate = order_model().model_validate
    loads = json.loads
    return lambda: validate(loads(PAYLOAD))


SCENARIO = Scenario(
    name="message.typed",
    title="Message[Order]: JSON payload -> validated pydantic model",
    polyfn=Impl("polyfn", _polyfn, canon=_dump),
    peers=(
        Impl("pydantic-model_validate_json", _validate_json, canon=_dump),
        Impl("pydantic-model_validate", _validate, canon=_dump),
    ),
    targets=(Target("pydantic-model_validate_json", ratio=1.2),),
)
