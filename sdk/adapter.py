"""The internal API adapters build on: every name an adapter takes from ``sdk``
beyond the user-facing model (``sdk.__all__``).

Adapters import these from here, never from a private ``sdk._*`` module
(``tests/unit/test_layers.py`` checks it), so the model can change inside while
this list stays. It is stable in the sense that a name is removed or changes
meaning only together with every adapter using it; user code should not need it.

Payloads and the data rule (``sdk._data``):
    ``Payload`` (an undecoded body: bytes, text, or a callable producing them),
    ``decode_payload`` (the data rule: JSON by content type, else text/bytes),
    ``is_json_type``.
Cookies (``sdk._http``): ``parse_cookie_header`` (request cookies from ``Cookie``
    header values, or a list of ``name=value`` items; the first of a name wins).
Lazy fields (``sdk._fields``): ``UNSET`` (the one sentinel: a value not worked
    out yet; ``None`` is a value), ``lazy`` (a field read on first use by a
    ``_read_*`` method a view overrides), ``field_group`` (several fields a view
    reads from its payload at once); ``declared`` (marks a kind's ``__init__`` as
    the declaration its constructor is generated from, ``sdk._event``).
Views over a payload (``sdk._http.HTTPRequest``): a view overrides the ``_read_*``
    readers of the lazy fields, and ``_sent_scope`` when its payload holds the web
    bridges' fields as they want them (a map of one value per header name, the
    query string as sent, the measured client address): ``sdk.asgi`` then builds
    the scope from those, by the same rules (``sdk._web.sent_fields``), without
    building the headers' index; ``None`` (the default) and it reads the fields.
JSON form (``sdk._jsonform``):
    ``dumps`` (compact JSON of any handler value), ``jsonable``, ``iso`` (RFC 3339
    text of an aware time), ``body_fields`` (a body in a JSON document: ``body``
    when it is text, else ``body_base64``).
Responses (``sdk._response``):
    ``Rendered`` (status, headers, cookies, body bytes), ``render`` (a handler's
    result as an HTTP answer), ``problem`` (an RFC 9457 problem+json answer).
Logging (``sdk._log``, ``sdk._redact``): ``use_gcp_project`` (how GCP log lines
    learn the project of their trace field), ``redact_query`` / ``redact_url``
    (query values out of log lines), ``redaction_enabled`` (``POLYFN_LOG_REDACT``).
Environment (``sdk._env``): ``getenv`` (``os.environ.get`` for variables read per
    event, without the ``KeyError`` an unset one costs inside ``os``).
Output drivers (``sdk._outputs``; loaded on first use, as the drivers are):
    ``Address`` (a parsed destination, bucket or store address: ``sdk._address``),
    ``Limits`` and ``Outcome`` (what a driver declares and answers), ``OutgoingMessage``
    (one message to send).
Idempotency stores (``sdk._idempotency``; loaded on first use): ``IdempotencyRecord``
    and ``IN_PROGRESS`` (what a store keeps), ``StoreAddress``, ``option``,
    ``public_name``, ``require`` (reading a store address, naming the extra).
Batches (``sdk._records``): ``Record``, ``BatchOutcome``, ``ReportedFailure``,
    ``DEFAULT_CONCURRENCY``.
Tracing (``sdk._tracing``): ``tracer`` (the OpenTelemetry tracer, ``None`` while
    tracing is off: a dictionary lookup), ``tracing_invocation`` (an invocation's
    span), ``tracing_batch`` (how its records' spans are described).
The batch runner (``sdk._batch``; loaded on first use, so a cold HTTP start
never pays for it): ``run_batch`` (``run_batch_async`` from a running loop;
    ``run_one`` for the one record of a delivery under a policy that raises,
    ``run_one_async`` from a running loop) and its ``Policy`` values ``REPORT``,
    ``REPORT_RESULTS``, ``FAIL``, ``FAIL_FAST``, ``ANSWER``;
    ``batch_failure``, ``reported``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._data import Payload, decode_payload, is_json_type
from ._env import getenv
from ._event import declared
from ._fields import UNSET, field_group, lazy
from ._http import parse_cookie_header
from ._jsonform import body_fields, dumps, iso, jsonable, loads
from ._log import use_gcp_project
from ._records import DEFAULT_CONCURRENCY, BatchOutcome, Record, ReportedFailure
from ._response import Rendered, problem, render
from ._tracing import Batch as tracing_batch
from ._tracing import invocation as tracing_invocation
from ._tracing import tracer

if TYPE_CHECKING:
    from ._address import Address
    from ._batch import (
        ANSWER,
        FAIL,
        FAIL_FAST,
        REPORT,
        REPORT_RESULTS,
        Policy,
        batch_failure,
        reported,
        run_batch,
        run_batch_async,
        run_one,
        run_one_async,
    )
    from ._idempotency._record import IN_PROGRESS, IdempotencyRecord
    from ._idempotency._stores import StoreAddress, option, public_name, require
    from ._outputs import Limits, Outcome, OutgoingMessage
    from ._redact import enabled as redaction_enabled
    from ._redact import redact_query, redact_url

__all__ = [
    "ANSWER",
    "DEFAULT_CONCURRENCY",
    "FAIL",
    "FAIL_FAST",
    "IN_PROGRESS",
    "REPORT",
    "REPORT_RESULTS",
    "UNSET",
    "Address",
    "BatchOutcome",
    "IdempotencyRecord",
    "Limits",
    "Outcome",
    "OutgoingMessage",
    "Payload",
    "Policy",
    "Record",
    "Rendered",
    "ReportedFailure",
    "StoreAddress",
    "batch_failure",
    "body_fields",
    "declared",
    "decode_payload",
    "dumps",
    "field_group",
    "getenv",
    "is_json_type",
    "iso",
    "jsonable",
    "lazy",
    "loads",
    "option",
    "parse_cookie_header",
    "problem",
    "public_name",
    "redact_query",
    "redact_url",
    "redaction_enabled",
    "render",
    "reported",
    "require",
    "run_batch",
    "run_batch_async",
    "run_one",
    "run_one_async",
    "tracer",
    "tracing_batch",
    "tracing_invocation",
    "use_gcp_project",
]

#: Names loaded with the batch runner, on first access.
_BATCH = frozenset({"ANSWER", "FAIL", "FAIL_FAST", "REPORT", "REPORT_RESULTS", "Policy",
                    "batch_failure", "reported", "run_batch", "run_batch_async", "run_one",
                    "run_one_async"})


#: Redaction helpers, loaded when a log line first needs them.
_REDACT = {"redact_query": "redact_query", "redact_url": "redact_url",
           "redaction_enabled": "enabled"}


#: The output drivers' names, loaded with sdk._outputs on first access.
_OUTPUTS = frozenset({"Address", "Limits", "Outcome", "OutgoingMessage"})


#: The idempotency stores' names: (module, attribute), loaded on first access.
_STORES = {"IN_PROGRESS": "._idempotency._record", "IdempotencyRecord": "._idempotency._record",
           "StoreAddress": "._idempotency._stores", "option": "._idempotency._stores",
           "public_name": "._idempotency._stores", "require": "._idempotency._stores"}


def __getattr__(name: str) -> Any:
    if name in _STORES:
        from importlib import import_module

        value = getattr(import_module(_STORES[name], "sdk"), name)
        globals()[name] = value
        return value
    if name in _OUTPUTS:
        from importlib import import_module

        # Address is the one address parser's (no outputs package needed).
        value = getattr(import_module("._address" if name == "Address" else "._outputs", "sdk"),
                        name)
        globals()[name] = value
        return value
    if name in _REDACT:
        from . import _redact

        value = getattr(_redact, _REDACT[name])
        globals()[name] = value
        return value
    if name in _BATCH:
        from . import _batch

        value = getattr(_batch, name)
        globals()[name] = value  # once: later reads are plain module attributes
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
