"""Test helpers: provider payloads, uniform events and stand-in contexts.

``import sdk`` does not import this package; tests import it explicitly::

    import adapters.testing
    from adapters.aws import lambda_handler
    from adapters.testing import aws

    def test_orders() -> None:
        message = adapters.testing.event("aws.sqs", body={"id": 1})   # a sdk.Message
        assert handle(message, adapters.testing.context()) is None

        handler = lambda_handler(handle)
        delivery = adapters.testing.batch(aws.sqs({"id": 1}), aws.sqs({"id": "bad"}))
        result = handler(delivery, adapters.testing.lambda_context())
        assert len(result["batchItemFailures"]) == 1

Public API:

* ``adapters.testing.aws``, ``.azure``, ``.gcp``, ``.cloudevents``: one factory per
  trigger building the raw payload as the provider sends it (``aws.sqs(body)``,
  ``gcp.pubsub(data)``, ``azure.queue_message(body)`` -- an azure.functions object
  built with the library's own converters). Keywords set the main fields; every
  other field has a realistic default. ``polyfn samples`` prints the same payloads.
* :func:`payload` / :func:`events` / :func:`event`: by sample name (``"aws.sqs"``,
  ``"gcp.storage"``; ``polyfn samples`` lists them), the payload, or the uniform
  events the provider's adapter decodes it to.
* :func:`batch`: several single-record payloads of one trigger as one delivery.
* :func:`context`: a :class:`~sdk.Context` (request id, deadline...) for calling a
  handler directly; :func:`lambda_context`: a Lambda context object for calling
  ``lambda_handler(handle)(event, lambda_context())``.
* :func:`samples` / :func:`find` / :class:`Sample`: the sample table itself.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._context import context, lambda_context
from ._events import batch, event, events, payload
from ._registry import PROVIDERS, Option, Sample, find, options, samples

if TYPE_CHECKING:
    from . import aws, azure, cloudevents, gcp

__all__ = [
    "PROVIDERS", "Option", "Sample", "aws", "azure", "batch", "cloudevents", "context", "event",
    "events", "find", "gcp", "lambda_context", "options", "payload", "samples",
]


def __getattr__(name: str) -> Any:
    # The provider modules load on first use: azure.functions, flask... only when needed.
    if name in PROVIDERS:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
