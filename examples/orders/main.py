"""Google Cloud Functions / Cloud Run functions entry point: ``--entry-point orders``.

Deployed with ``--trigger-topic``, each Pub/Sub message arrives as a CloudEvent. A
failed order raises: functions-framework answers 500 and, with ``--retry``, Pub/Sub
delivers the message again. functions-framework finds the target by name and its
signature type by the decorated function's ``__name__``, hence a real ``def orders``.
"""

from __future__ import annotations

import functions_framework
from cloudevents.http import CloudEvent

from adapters.gcp import cloudevent_function
from examples.orders.handler import handle

take_order = cloudevent_function(handle)


@functions_framework.cloud_event
def orders(event: CloudEvent) -> None:
    take_order(event)
