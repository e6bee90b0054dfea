"""``POST /_polyfn/invoke[/{provider}]``: a raw provider payload, run as its provider
would run it, answered with the provider-shaped response as JSON.

The provider is detected as ``polyfn event --provider auto`` does (AWS, Azure,
Google Cloud, CloudEvents, in that order), or named in the path. 200 carries the
provider's response (``batchItemFailures``, an API Gateway response dict, ``null``
for an event whose result the provider ignores); bad input (not JSON, no trigger
matches, a malformed payload) is 400 problem+json naming keys, never values; a
well-formed payload of a kind the handler does not take (an SQS batch to an
``HTTPRequest`` handler) is 415, as everywhere in ``polyfn serve``; an invocation
that fails because the handler raised is 500 problem+json (the traceback goes to
stderr).
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import Any

from adapters._cli.command import BadInput, WrongKind
from adapters._cli.handlers import WatchedHandler
from adapters._cli.invoke import RUNNERS, check_kind, run_trigger
from adapters._cli.output import one_line, response_json
from adapters._cli.providers import AUTO, CHOICES, resolve
from sdk import Function
from sdk.adapter import Rendered, dumps, problem
from sdk.errors import ConfigurationError, EventDecodeError, UnsupportedEventError

__all__ = ["INVOKE", "invoke_raw"]

INVOKE = "/_polyfn/invoke"
#: Exceptions that mean the payload (or the handler's kind) is wrong, not the handler.
_BAD_INPUT = (ConfigurationError, EventDecodeError, UnsupportedEventError)


def _payload(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BadInput("the body is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise BadInput(f"the body is not a JSON payload: {exc.msg} "
                       f"(line {exc.lineno}, column {exc.colno})") from None


def _summary(response: Any) -> str:
    """What the provider's response says, for the log line."""
    if isinstance(response, dict):
        if isinstance(response.get("batchItemFailures"), list):
            return f" batchItemFailures={len(response['batchItemFailures'])}"
        for key in ("statusCode", "status"):
            if isinstance(response.get(key), int):
                return f" {key}={response[key]}"
    return ""


def invoke_raw(handler: WatchedHandler, fn: Function[Any], provider: str, body: bytes
               ) -> tuple[Rendered, str]:
    """The answer to one raw payload (``provider`` from the path, ``""``: detect it),
    and the note for the request log line."""
    provider = provider or AUTO
    if provider not in CHOICES:
        return problem(404, "Not Found", f"unknown provider {provider!r}; use "
                       f"{INVOKE} or {INVOKE}/{{{'|'.join(CHOICES[1:])}}}"), ""
    try:
        raw = _payload(body)
        match = resolve(raw, provider)
        check_kind(match, fn, raw)
    except WrongKind as exc:
        return problem(415, "Unsupported Media Type", one_line(str(exc))), ""
    except BadInput as exc:
        return problem(400, "Bad Request", one_line(str(exc))), ""
    handler.errors.clear()
    try:
        response = RUNNERS.get(match.provider, run_trigger)(match, fn, raw)
    except Exception as exc:
        return _failed(handler, exc, match.trigger.name)
    rendered = Rendered(200, [("Content-Type", "application/json"),
                              ("X-Polyfn-Provider", match.provider),
                              ("X-Polyfn-Trigger", match.trigger.name)], [],
                        dumps(response_json(response)).encode("utf-8"))
    return rendered, match.trigger.name + _summary(response)


def _failed(handler: WatchedHandler, exc: Exception, trigger: str) -> tuple[Rendered, str]:
    failures = [e for e in handler.errors if not isinstance(e, EventDecodeError)]
    if not failures and isinstance(exc, _BAD_INPUT):
        return problem(400, "Bad Request", one_line(str(exc))), trigger
    cause = failures[0] if failures else exc
    traceback.print_exception(type(cause), cause, cause.__traceback__, file=sys.stderr)
    # The log line shows the problem's detail; the traceback just printed says the rest.
    return (problem(500, "Internal Server Error", f"The {trigger} invocation failed "
                    f"({type(cause).__name__}); the traceback is in the server's output."), "")
