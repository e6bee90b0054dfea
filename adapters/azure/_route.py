"""``http.route`` on Azure: the route template of the function's HTTP trigger
(:meth:`HTTP.route <adapters.azure._http.HTTP.route>`, which a tracing span reads).

A ``func.HttpRequest`` carries the route's values (``route_params``), not its
template; the template is in the trigger binding the ``func.FunctionApp``
decorator attached (``app.route(route="items/{id}")``; without ``route`` the
function's name,
https://learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook-trigger#customize-the-http-endpoint),
found by the invocation's function name (``func.Context.function_name``) once per
function. The host serves it under the route prefix (``api`` unless host.json says
otherwise: ``POLYFN_AZURE_ROUTE_PREFIX``, as the HTTP trigger reads it), which is
the application root the HTTP conventions' ``http.route`` includes
(https://opentelemetry.io/docs/specs/semconv/registry/attributes/http/#http-route).
A function not registered through a ``FunctionApp`` (function.json) has no route.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sdk import Context

__all__ = ["route"]

#: function name -> its route template (None: none found); read once per function.
_ROUTES: dict[str, str | None] = {}


def route(context: Context, prefix: Callable[[], str]) -> str | None:
    """The route template of the function ``context`` is an invocation of, under
    the route prefix (``prefix()``, read with the template)."""
    name = context.function_name
    if not name:
        return None
    if name not in _ROUTES:
        _ROUTES[name] = _template(name, prefix)
    return _ROUTES[name]


def _template(name: str, prefix: Callable[[], str]) -> str | None:
    from ._entity import trigger_named

    trigger = trigger_named(name)
    if trigger is None or getattr(trigger, "get_binding_name", lambda: "")() != "httpTrigger":
        return None
    template: Any = getattr(trigger, "route", None)
    if template is None:
        template = name  # the host's default route
    if not isinstance(template, str):
        return None
    path, root = template.strip("/"), prefix()
    return f"{root}/{path}" if path else root or "/"
