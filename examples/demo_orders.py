"""The demo's second part: one message handler (``examples/orders``) on three clouds.

The same three orders — one good, one whose data fails the model (``qty`` 0), one
the handler rejects (a flagged SKU) — go to each cloud's entry point as that cloud
delivers messages: an SQS batch into the Lambda handler, Pub/Sub CloudEvents into
the functions-framework target, Service Bus messages into the function indexed from
the Azure ``FunctionApp``. Each line says what the cloud is told, so what it will
redeliver: nothing is dropped.
"""

from __future__ import annotations

import base64
import json
from types import SimpleNamespace
from typing import Any

ORDERS = (
    ("m-1", {"id": "o-1", "sku": "BOOK-1", "qty": 2}),
    ("m-2", {"id": "o-2", "sku": "BOOK-2", "qty": 0}),
    ("m-3", {"id": "o-3", "sku": "RECALLED-1", "qty": 1}),
)
_ARN = "arn:aws:sqs:us-east-1:123456789012:orders"


def _describe(order: dict[str, Any]) -> str:
    return f"{order['id']} {order['sku']} x{order['qty']}"


def aws() -> list[str]:
    from examples.demo import LAMBDA_CONTEXT
    from examples.orders.aws import handler

    batch = {"Records": [
        {"messageId": message_id, "receiptHandle": f"rh-{message_id}", "body": json.dumps(order),
         "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1700000000000"},
         "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
         "eventSourceARN": _ARN, "awsRegion": "us-east-1"}
        for message_id, order in ORDERS]}
    response = handler(batch, LAMBDA_CONTEXT)
    failed = {item["itemIdentifier"] for item in response["batchItemFailures"]}
    lines = [f"{message_id}  {_describe(order):<18} "
             + ("reported failed: back to the queue" if message_id in failed else "deleted")
             for message_id, order in ORDERS]
    return [*lines, "Lambda returns", f"  {json.dumps(response)}"]


def gcp() -> list[str]:
    from cloudevents.http import CloudEvent

    from examples.orders.main import orders

    lines = []
    for message_id, order in ORDERS:
        event = CloudEvent(
            {"type": "google.cloud.pubsub.topic.v1.messagePublished", "id": message_id,
             "source": "//pubsub.googleapis.com/projects/demo/topics/orders",
             "datacontenttype": "application/json"},
            {"message": {"data": base64.b64encode(json.dumps(order).encode()).decode(),
                         "messageId": message_id, "attributes": {}},
             "subscription": "projects/demo/subscriptions/orders"})
        lines.append(f"{message_id}  {_describe(order):<18} " + _outcome(
            lambda event=event: orders(event), "204: acknowledged",
            "500: Pub/Sub delivers it again"))
    return lines


def azure() -> list[str]:
    import azure.functions as func

    from examples.demo import azure_function
    from examples.orders.function_app import app

    function = azure_function(app, "orders")
    context = SimpleNamespace(invocation_id="demo-invocation", function_name="orders")
    lines = []
    for message_id, order in ORDERS:
        message = func.ServiceBusMessage(body=json.dumps(order).encode(),
                                         content_type="application/json")
        lines.append(f"{message_id}  {_describe(order):<18} " + _outcome(
            lambda message=message: function(message, context), "completed",
            "raised: abandoned, delivered again"))
    return lines


def _outcome(call: Any, ok: str, failed: str) -> str:
    try:
        call()
    except Exception as exc:
        return f"{failed} ({type(exc).__name__})"
    return ok


CLOUDS = (
    ("AWS Lambda", "SQS batch → examples.orders.aws.handler", aws),
    ("Google Cloud Functions", "Pub/Sub → examples/orders/main.py:orders", gcp),
    ("Azure Functions", "Service Bus queue → examples/orders/function_app.py", azure),
)
