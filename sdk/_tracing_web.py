"""``http.route`` for a web app served through ``sdk.asgi``, while tracing.

The HTTP conventions want the framework's own route template
(https://opentelemetry.io/docs/specs/semconv/registry/attributes/http/#http-route:
low-cardinality, the application root included, "MUST NOT be populated when
this is not supported by the HTTP server framework"). Where it is cheap to read
after the app answered, it replaces the platform's (API Gateway's ``/{proxy+}``,
an Azure catch-all template), being more precise:

* Starlette and FastAPI leave the matched route in the scope (``scope["route"]``,
  set by Starlette's router on the scope it was given; a mounted router adds its
  path to ``root_path``): the template is ``root_path`` + the route's ``path``.
  A ``Mount`` of an app that is no router (static files) says nothing of the
  paths below it: no route.
* WSGI apps keep theirs to themselves: Flask's ``request.url_rule`` lives in the
  request context, gone (and ``environ["werkzeug.request"]`` cleared) when the app
  returns; Django's ``resolver_match`` is on its request object, which the environ
  does not hold. So ``sdk.wsgi`` sets none, and neither does functions-framework's
  catch-all rule on Google Cloud.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opentelemetry import trace

__all__ = ["asgi_route"]


def asgi_route(scope: Mapping[str, Any]) -> None:
    """The matched route of an ASGI exchange on the current (the invocation's) span."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if not isinstance(path, str) or hasattr(route, "routes"):
        return  # no match (404), or a Mount whose app is no router
    span = trace.get_current_span()
    if not span.is_recording():
        return
    template = f"{scope.get('root_path') or ''}{path}"
    span.set_attribute("http.route", template)
    span.update_name(f"{scope.get('method')} {template}")
