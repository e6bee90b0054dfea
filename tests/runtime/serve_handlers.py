"""The handlers ``tests/runtime/test_serve*.py`` run under ``polyfn serve``.

It takes any kind and answers with what it saw, so each test checks the route a
request took by the answer: an HTTP echo, a CloudEvent's type and data. A message
whose data is ``{"fail": true}`` raises (a failed batch record).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

import sdk
from sdk import Event, HTTPRequest, Message, Response, StorageEvent


class Order(BaseModel):
    id: int


@sdk.function
def handler(event: Event[Any], context: sdk.Context) -> Any:
    if isinstance(event, HTTPRequest):
        if event.path == "/orders":  # a body that must be an Order: 400/422 otherwise
            return Response({"order": event.parse(Order).id}, status=201)
        return {"method": event.method, "path": event.path, "query": dict(event.query),
                "body": event.text(), "provider": context.provider, "trigger": event.trigger}
    if isinstance(event, Message) and event.data == {"fail": True}:
        raise ValueError("this record fails")
    if event.provider == "cloudevents":
        return {"kind": event.kind, "type": event.type, "data": event.data}
    return None


@sdk.function
def http_only(request: HTTPRequest[Any]) -> dict[str, Any]:
    """Takes HTTP requests only: a CloudEvent or an SQS batch is refused (415)."""
    return {"path": request.path, "bytes": len(request.body)}


@sdk.function
def storage_only(event: StorageEvent[Any]) -> None:
    """Takes storage events only: a plain HTTP request is refused (415)."""
