"""CloudEvents from any engine (Knative, Dapr, Eventarc, Event Grid): one uniform event each.

::

    from adapters.cloudevents import wsgi_app, asgi_app
    app = asgi_app(handle)            # uvicorn module:app; or wsgi_app for gunicorn

``decode(raw)`` takes a structured CloudEvent (a dict), a batch (a list of them) or
an :class:`HTTPMessage` (binary, structured or batched mode). Every path, including
other adapters' (functions-framework on Google Cloud, Event Grid's CloudEvents
schema), goes through :func:`decode_parts`, so a CloudEvent ``type`` decodes to the
same kind wherever it arrives: Google's types belong to ``adapters.gcp`` and are
loaded on the first ``google.`` event (``_types.PROVIDER_TYPES``); other types are
generic events with trigger ``cloudevents``. Naming rules: docs/cloudevents.md.

``import adapters.cloudevents`` loads neither the ``cloudevents`` library nor
google-events/protobuf: they are imported on first use of ``event.native`` (and
protobuf to decode a Firestore event sent as ``application/protobuf``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters._time import parse_time
from adapters._trigger import Trigger
from adapters._trigger import detect as _detect
from sdk import Context, Event

from . import _dapr  # noqa: F401 - registers its types
from ._binding import HTTPMessage
from ._structured import check_attributes as _check_attributes
from ._structured import from_structured
from ._triggers import GENERIC_TRIGGER, HTTP, PROVIDER, Batch, Structured
from ._types import (
    CloudEventParts,
    TypeDecoder,
    base_fields,
    data_fields,
    decode_parts,
    register,
)

__all__ = [
    "GENERIC_TRIGGER", "HTTP", "PROVIDER", "TRIGGERS", "Batch", "CloudEventParts",
    "HTTPMessage", "Structured", "TypeDecoder", "asgi_app", "base_fields", "data_fields",
    "decode", "decode_cloudevent", "decode_parts", "detect", "from_structured", "parse_time",
    "register", "wsgi_app",
]

if TYPE_CHECKING:
    from ._app import asgi_app, wsgi_app


def __getattr__(name: str) -> Any:
    # The apps (and asyncio's thread helpers) load only for those who serve HTTP:
    # the Google Cloud adapter imports this package just to decode.
    if name in ("asgi_app", "wsgi_app"):
        from . import _app

        return getattr(_app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Every CloudEvents trigger; their predicates do not overlap.
TRIGGERS: tuple[Trigger, ...] = (Structured(), Batch(), HTTP())


def detect(raw: Any) -> Trigger:
    """The trigger for ``raw``; :class:`~sdk.errors.UnsupportedEventError` if none."""
    return _detect(PROVIDER, TRIGGERS, raw)


def decode(raw: Any, context: Context | None = None) -> list[Event[Any]]:
    """The uniform events in ``raw`` (the translation alone)."""
    return detect(raw).decoded(raw, context)


def decode_cloudevent(cloudevent: Any, *, provider: str, trigger: str = GENERIC_TRIGGER,
                      raw: Any = None) -> Event[Any]:
    """The uniform event for a ``cloudevents`` library event (``get_attributes()``/
    ``get_data()``, e.g. what functions-framework hands a ``@cloud_event`` function).

    ``trigger`` names a type no decoder claims; ``native`` is the library event.
    """
    attributes = dict(cloudevent.get_attributes())
    # The library takes any value for any attribute; the contract is the spec's.
    time = _check_attributes(attributes, trigger)
    parts = CloudEventParts(attributes, cloudevent.get_data(), provider=provider,
                            trigger=trigger, raw=cloudevent if raw is None else raw,
                            native=lambda: cloudevent, time=time)
    return decode_parts(parts)
