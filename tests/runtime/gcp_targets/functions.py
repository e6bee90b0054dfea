"""functions-framework targets for tests/runtime/test_gcp_runtime.py.

One sdk handler per signature, wrapped with the adapter's entry points exactly as a
user's ``main.py`` would. Each invocation appends one JSON line (the uniform event,
the context, what functions-framework passed in) to the file ``POLYFN_RECORD`` names.
"""

from __future__ import annotations

import json
import os
from typing import Any

from pydantic import BaseModel

import sdk
from adapters.gcp import background_function, cloudevent_function, http_function
from sdk import Context, Event, HTTPRequest, Response


class Order(BaseModel):
    id: int
    item: str


def record(event: Event[Any], context: Context) -> None:
    line = {"event": event.to_dict(), "context": context.to_dict(),
            "raw_type": type(event.raw).__name__}
    with open(os.environ["POLYFN_RECORD"], "a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")


@sdk.function
def route(request: HTTPRequest, context: Context) -> Any:
    record(request, context)
    if request.path == "/orders":
        order = request.parse(Order)  # 400 when not JSON, 422 when it does not fit
        return Response({"id": order.id, "item": order.item}, status=201,
                        headers={"Location": f"/orders/{order.id}"})
    if request.path == "/binary":
        return Response(request.body[::-1], content_type="application/octet-stream")
    if request.path == "/boom":
        raise RuntimeError("internal detail 42")
    return Response({"query": request.query.get_all("tag")}, status=202,
                    headers=[("X-Multi", "a"), ("X-Multi", "b")],
                    cookies=["sid=1; Path=/; HttpOnly", "theme=dark; Path=/"])


@sdk.function
def handle_event(event: Event, context: Context) -> None:
    record(event, context)
    if event.attributes.get("fail") == "yes":
        raise RuntimeError("handler failed on purpose")


api = http_function(route)
on_event = cloudevent_function(handle_event)
on_legacy = background_function(handle_event)
