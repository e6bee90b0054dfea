"""One span per invocation, described by the trigger that delivered it.

An entry point calls :func:`invoke` instead of ``trigger.invoke``: with tracing
off (``sdk.adapter.tracer()`` is ``None``: no OpenTelemetry loaded, or no tracer
provider configured) that is the only difference, one call. With tracing on, the
provider's table (``_aws``, ``_azure``, ``_gcp``, ``_cloudevents``: one
:class:`~adapters._tracing._carrier.Carrier` row per trigger) says what the span
carries: the FaaS, cloud, HTTP and messaging attributes of the OpenTelemetry
semantic conventions, where the parent context travels, and each record's
producer context (a link on the record's span, ``sdk._tracing.attempt``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any

from sdk import Context, Function
from sdk.adapter import tracer

from .._trigger import Trigger

__all__ = ["invoke", "traced"]

#: Provider (the trigger name's first part) -> the module holding its table.
_TABLES = {"aws": "._aws", "azure": "._azure", "gcp": "._gcp", "cloudevents": "._cloudevents"}


def invoke(trigger: Trigger, fn: Function[Any], raw: Any, context: Context,
           **options: Any) -> Any:
    """``trigger.invoke(fn, raw, context, **options)``, in a span when tracing is on."""
    found = tracer()
    if found is None:
        return trigger.invoke(fn, raw, context, **options)
    with traced(found, trigger.name, raw, context, getattr(trigger, "route", None)) as span:
        result = trigger.invoke(fn, raw, context, **options)
        span.answer(result)
        return result


@contextmanager
def traced(found: Any, trigger: str, raw: Any, context: Context,
           route: Callable[[Context], str | None] | None = None) -> Iterator[Any]:
    """The invocation's span for ``raw``, delivered by ``trigger``; the object
    yielded takes the answer (``answer(result)``: an HTTP status). ``route`` gives
    the ``http.route`` the payload does not say (an HTTP trigger's ``route``)."""
    from sdk.adapter import tracing_batch, tracing_invocation

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
