"""One span per invocation, described by the trigger that delivered it.

An entry point calls :func:`invoke` instead of ``trigger.invoke`` (:func:`invoke_async`
from an event loop): with tracing off (``sdk.adapter.tracer()`` is ``None``: no
OpenTelemetry loaded, or no tracer provider configured) that is the only
difference, one call. It is the one way an invocation's span is opened. An entry
point that decodes a delivery itself (Google Cloud's event functions, the
CloudEvents apps) hands over its events as :class:`Events`, a trigger-like object
naming the row that describes a delivery from its events (``gcp.events``,
``cloudevents.events``). With tracing on, the provider's table (``_aws``,
``_azure``, ``_gcp``, ``_cloudevents``: one
:class:`~adapters._tracing._carrier.Carrier` row per trigger) says what the span
carries: the FaaS, cloud, HTTP and messaging attributes of the OpenTelemetry
semantic conventions, where the parent context travels, and each record's
producer context (a link on the record's span, ``sdk._tracing.attempt``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any, Protocol

from sdk import Context, Function
from sdk.adapter import tracer

__all__ = ["Events", "Invoked", "invoke", "invoke_async"]

#: Provider (the trigger name's first part) -> the module holding its table.
_TABLES = {"aws": "._aws", "azure": "._azure", "gcp": "._gcp", "cloudevents": "._cloudevents"}


class Invoked(Protocol):
    """What :func:`invoke` runs: a trigger (``adapters._trigger.Trigger``), or a
    delivery's decoded :class:`Events`."""

    @property
    def name(self) -> str: ...

    def invoke(self, fn: Function[Any], raw: Any, context: Context, **options: Any) -> Any: ...


class Events:
    """A delivery's decoded events, run as :func:`invoke` runs a trigger: ``name`` is
    the tracing row describing them (its ``polyfn.trigger``), ``invoke(fn, events,
    context)`` runs them, ``invoke_async`` (when given) from an event loop."""

    __slots__ = ("invoke", "invoke_async", "name")

    def __init__(self, name: str, run: Callable[..., Any],
                 run_async: Callable[..., Awaitable[Any]] | None = None) -> None:
        self.name = name
        self.invoke = run
        self.invoke_async = run_async


def invoke(trigger: Invoked, fn: Function[Any], raw: Any, context: Context,
           **options: Any) -> Any:
    """``trigger.invoke(fn, raw, context, **options)``, in a span when tracing is on."""
    found = tracer()
    if found is None:  # none given (an HTTP request): a plain call, no keyword dict
        return trigger.invoke(fn, raw, context, **options) if options else trigger.invoke(
            fn, raw, context)
    with _span(found, trigger, raw, context) as span:
        result = trigger.invoke(fn, raw, context, **options)
        span.answer(result)
        return result


async def invoke_async(events: Events, fn: Function[Any], raw: Any, context: Context) -> Any:
    """:func:`invoke` from an event loop: ``await events.invoke_async(fn, raw, context)``."""
    run = events.invoke_async
    if run is None:
        raise TypeError(f"{events.name}: no run_async was given")
    found = tracer()
    if found is None:
        return await run(fn, raw, context)
    with _span(found, events, raw, context) as span:
        result = await run(fn, raw, context)
        span.answer(result)
        return result


@contextmanager
def _span(found: Any, invoked: Invoked, raw: Any, context: Context) -> Iterator[_Answer]:
    """The invocation's span for ``raw``, delivered by ``invoked``; the object
    yielded takes the answer (``answer(result)``: an HTTP status). An HTTP
    trigger's ``route`` gives the ``http.route`` the payload does not say."""
    from sdk.adapter import tracing_batch, tracing_invocation

    trigger = invoked.name
    route: Callable[[Context], str | None] | None = getattr(invoked, "route", None)
    table = import_module(_TABLES[trigger.partition(".")[0]], __name__)
    row = table.CARRIERS.get(trigger, table.DEFAULT)
    attributes = row.attributes(raw, context, trigger, route)
    name = row.span_name(attributes, context, trigger)
    batch = None if row.faas == "http" else tracing_batch(
        found, row.record_span_name(attributes), row.describer(attributes))
    with tracing_invocation(found, name, row.kind(attributes), attributes,
                            [*table.parents(raw, context, row), *row.producer(raw)],
                            batch=batch) as span:
        yield _Answer(span, row.status)


class _Answer:
    __slots__ = ("_span", "_status")

    def __init__(self, span: Any, status: Callable[[Any], int | None]) -> None:
        self._span = span
        self._status = status

    def answer(self, result: Any) -> None:
        """An HTTP answer's status on the span; a 5xx is the error status."""
        status = self._status(result)
        if status is None:
            return
        self._span.set_attribute("http.response.status_code", status)
        if status >= 500:
            from opentelemetry.trace import Status, StatusCode

            self._span.set_status(Status(StatusCode.ERROR))
