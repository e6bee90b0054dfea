"""A greeting over HTTP, written once for every cloud.

``GET /hello?name=Ada``, or ``POST /hello`` with ``{"name": "Ada"}``, answers
``{"message": "Hello, Ada!", ...}`` with a custom header and a cookie counting
visits. polyfn answers bad input itself: a POST body that is not JSON gets a 400
problem+json response, one that does not fit :class:`Greeting` a 422.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

import sdk
from sdk import Context, HTTPRequest, Response


class Greeting(BaseModel):
    name: str = Field(min_length=1, max_length=40)


@sdk.function
def handle(request: HTTPRequest, context: Context) -> Response:
    if request.method == "POST":
        name = request.parse(Greeting).name  # 400/422 problem+json when it does not fit
    else:
        name = request.query.get("name") or "world"
    seen = request.cookies.get("visits", "")
    visits = int(seen) + 1 if seen.isdigit() else 1
    context.logger.info("greeted", visits=visits)
    return Response(
        {"message": f"Hello, {name}!", "provider": context.provider, "visits": visits},
        headers={"X-Greeter": "polyfn"},
        cookies=[f"visits={visits}; Path=/; Max-Age=86400; HttpOnly"],
    )
