"""Google Cloud Functions (1st and 2nd gen) and Cloud Run functions, through
functions-framework. In ``main.py``::

    from adapters.gcp import http_function, cloudevent_function, background_function
    api = http_function(handle)              # --signature-type http (the default)
    on_event = cloudevent_function(handle)   # --signature-type cloudevent (2nd gen, Eventarc)
    on_legacy = background_function(handle)  # --signature-type event (1st-gen background)

The platform sets the signature type from the trigger a function is deployed with;
locally pass ``--signature-type`` to ``functions-framework``. ``import adapters.gcp``
loads no provider library: flask, werkzeug, cloudevents and functions_framework are
imported where they are used, and functions-framework has loaded them by then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "HTTP", "PROVIDER", "TRIGGERS", "Background", "CloudEvent", "PubSubPush",
    "StructuredCloudEvent", "background_function", "cloudevent_function", "decode", "detect",
    "gcp_context", "http_function",
]

PROVIDER = "gcp"

if TYPE_CHECKING:
    from ._entry import (
        HTTP,
        TRIGGERS,
        Background,
        CloudEvent,
        PubSubPush,
        StructuredCloudEvent,
        background_function,
        cloudevent_function,
        decode,
        detect,
        gcp_context,
        http_function,
    )


def __getattr__(name: str) -> Any:
    # PEP 562: the entry points (and the HTTP, 1st-gen and CloudEvent trigger
    # modules under them) load on first use. ``adapters.cloudevents`` imports this
    # package's type tables for a ``google.`` CloudEvent and must not pay for them.
    if name in __all__:
        from . import _entry

        value = getattr(_entry, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
