"""The CloudEvents provider's triggers: one per shape a CloudEvent arrives in.

* ``cloudevents.structured``: one structured-mode CloudEvent, a JSON object with
  ``specversion`` (a file for ``polyfn event``, a Dapr or Event Grid body);
* ``cloudevents.batch``: a non-empty JSON array of them (``application/cloudevents-batch+json``);
* ``cloudevents.http``: an :class:`HTTPMessage` in binary, structured or batched mode.

These name the *shape*; each event's ``trigger`` names its *source*: the Google
name for a Google type (``gcp.storage``), else ``cloudevents``. ``invoke`` answers
as the WSGI/ASGI apps do, as a ``{"status", "headers", "body"}`` dict.
"""

from __future__ import annotations

from typing import Any, ClassVar

from adapters._trigger import Trigger
from sdk import Context, Event, Function
from sdk.adapter import Rendered, body_fields

from ._binding import HTTPMessage, parse_http
from ._structured import from_structured
from ._types import CloudEventParts, decode_parts

__all__ = ["GENERIC_TRIGGER", "HTTP", "PROVIDER", "Batch", "Structured"]

PROVIDER = "cloudevents"
#: The trigger of an event whose type no decoder claims.
GENERIC_TRIGGER = "cloudevents"

_SEMANTICS = ("One event: the handler's result is the HTTP answer (None 204, an Event "
              "as a binary-mode CloudEvent reply, a Response as is); a handler error "
              "answers 500 so the sender retries, bad input 400/422. A batch answers 204, "
              "or problem+json naming the failed event ids: 500, or 400 when every failure "
              "is bad input that a retry cannot fix.")


class _CloudEventTrigger(Trigger):
    semantics: ClassVar[str] = _SEMANTICS

    def parts(self, raw: Any) -> list[CloudEventParts]:
        raise NotImplementedError

    def decode(self, raw: Any, context: Context | None = None) -> list[Event[Any]]:
        return [decode_parts(parts) for parts in self.parts(raw)]

    def encode(self, result: Rendered, raw: Any) -> dict[str, Any]:
        return {"status": result.status, "headers": result.header_map(),
                **body_fields(result.body)}

    def invoke(self, fn: Function[Any], raw: Any, context: Context, **options: Any) -> Any:
        from ._run import run

        return self.encode(run(fn, self.decoded(raw, context), context), raw)


def _is_structured(item: Any) -> bool:
    return isinstance(item, dict) and "specversion" in item


class Structured(_CloudEventTrigger):
    """One structured-mode CloudEvent (a JSON object with ``specversion``)."""

    name = "cloudevents.structured"

    def matches(self, raw: Any) -> bool:
        return _is_structured(raw)

    def parts(self, raw: Any) -> list[CloudEventParts]:
        return [from_structured(raw, provider=PROVIDER, trigger=GENERIC_TRIGGER,
                                where=self.name)]


class Batch(_CloudEventTrigger):
    """A JSON array of structured CloudEvents (at least one)."""

    name = "cloudevents.batch"
    batch = True

    def matches(self, raw: Any) -> bool:
        return isinstance(raw, list) and bool(raw) and all(_is_structured(i) for i in raw)

    def parts(self, raw: Any) -> list[CloudEventParts]:
        return [from_structured(item, provider=PROVIDER, trigger=GENERIC_TRIGGER,
                                where=self.name) for item in raw]


class HTTP(_CloudEventTrigger):
    """An HTTP request carrying CloudEvents (binary, structured or batched mode)."""

    name = "cloudevents.http"

    def matches(self, raw: Any) -> bool:
        return isinstance(raw, HTTPMessage)

    def parts(self, raw: Any) -> list[CloudEventParts]:
        return parse_http(raw, provider=PROVIDER, trigger=GENERIC_TRIGGER, where=self.name)
