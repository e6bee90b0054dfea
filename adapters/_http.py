"""Running an HTTP handler: result or failure to one rendered response.

Every provider's HTTP path goes through :meth:`HTTPTrigger.invoke`, so bad input,
model validation and handler failures answer the same way everywhere:

* body not parseable for the handler's model -> 400 problem+json
* data fails the model -> 422 problem+json with pydantic's error locations
* malformed request (bad base64 body...) -> 400 problem+json
* the handler takes another kind of event (a ``StorageEvent`` handler behind an
  HTTP trigger) -> 415 problem+json, nothing runs (:func:`wrong_kind`, the one
  answer ``polyfn serve`` and the CloudEvents apps give too)
* handler raised -> 500 problem+json, no traceback in the body, logged with the
  request id
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sdk import Context, Event, Function, HTTPRequest
from sdk.adapter import Rendered, problem, render
from sdk.errors import MALFORMED, DataValidationError, EventDecodeError, WrongKindError, malformed

from ._trigger import Trigger

__all__ = ["HTTPTrigger", "QueryPairs", "b64_body", "encode_body", "failure_answer",
           "form_decoded", "forwarded_client", "parse_query", "refusal", "validation_problem",
           "wrong_kind"]


def parse_query(text: str) -> list[tuple[str, str]]:
    """``urllib.parse.parse_qsl(text, keep_blank_values=True)``.

    Text with nothing to unescape (no ``%``, no ``+``) is split here: the result
    is the same, for a fraction of the time and without importing urllib.parse.
    """
    if "%" in text or "+" in text:
        from urllib.parse import parse_qsl

        return parse_qsl(text, keep_blank_values=True)
    return [part.partition("=")[::2] for part in text.split("&") if part]


def form_decoded(text: str) -> str:
    """``urllib.parse.unquote_plus(text)`` (form encoding: S3 object keys in events),
    importing urllib.parse only for text that has something to undo."""
    if "%" in text:
        from urllib.parse import unquote_plus

        return unquote_plus(text)
    if "+" in text:  # unquote_plus replaces it, then finds no "%" to undo
        return text.replace("+", " ")
    return text


#: ``POLYFN_FORWARDED_HOPS``: how many entries the platform's own proxies append to
#: ``X-Forwarded-For`` (default 1). docs/design.md, "Client address".
_HOPS_VARIABLE = "POLYFN_FORWARDED_HOPS"


def _hops() -> int:
    import os

    try:
        return max(1, int(os.environ.get(_HOPS_VARIABLE) or 1))
    except ValueError:
        return 1


def _strip_port(address: str) -> str:
    """``203.0.113.7:4711`` -> ``203.0.113.7``, ``[2001:db8::1]:443`` -> ``2001:db8::1``;
    a bare IPv6 address stays as it is."""
    if address.startswith("["):
        return address[1:].split("]", 1)[0]
    host, colon, port = address.partition(":")
    return host if colon and ":" not in port else address


def forwarded_client(values: str | list[str] | None) -> str | None:
    """The client address in ``X-Forwarded-For`` (one value, or one per header line):
    the entry the platform's trusted proxy appended, i.e. the right-most one (the
    ``POLYFN_FORWARDED_HOPS``-th from the right when more trusted proxies append
    theirs), never the left-most, which the client writes itself. A port is
    dropped. ``None`` when there is none."""
    if not values:
        return None
    text = values if isinstance(values, str) else ",".join(str(v) for v in values)
    entries = [entry.strip() for entry in text.split(",")]
    entries = [entry for entry in entries if entry]
    if not entries:
        return None
    return _strip_port(entries[max(len(entries) - _hops(), 0)]) or None


class QueryPairs:
    """A query string's pairs (:func:`parse_query`), parsed when first iterated: a
    :class:`~sdk.Query` indexes them only when a handler reads the query."""

    __slots__ = ("_pairs", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._pairs: list[tuple[str, str]] | None = None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        pairs = self._pairs
        if pairs is None:
            pairs = self._pairs = parse_query(self._text)
        return iter(pairs)


def validation_problem(exc: DataValidationError) -> Rendered:
    if exc.unparseable:
        return problem(400, "Bad Request", f"The request body is not valid JSON for {exc.model}.")
    errors = [
        {"loc": list(e.get("loc", ())), "type": e.get("type"), "msg": e.get("msg")}
        for e in exc.errors
    ]
    return problem(422, "Unprocessable Content",
                   f"The request body does not match {exc.model}.", errors=errors)


#: What building a request from a malformed payload raises (EventDecodeError is a
#: ValueError: it passes through ``HTTPTrigger.malformed`` as it is).
_MALFORMED = MALFORMED


def b64_body(text: str) -> Callable[[], bytes]:
    """A lazy, strict base64 decoder for bodies marked base64 by the provider."""

    def decode() -> bytes:
        from ._base64 import b64_bytes  # bodies marked base64 only: cold starts pay for imports

        return b64_bytes(text)

    return decode


def encode_body(rendered: Rendered) -> tuple[str, bool]:
    """(body, is_base64) for providers whose response body travels as JSON text:
    text or base64 by the one rule (``sdk.adapter.body_fields``)."""
    from sdk.adapter import body_fields  # binary bodies only: aws inlines the text case

    fields = body_fields(rendered.body, rendered.text())
    text = fields.get("body")
    return (text, False) if text is not None else (fields["body_base64"], True)


class HTTPTrigger(Trigger):
    """A request/response HTTP trigger: ``request`` builds the event from the raw
    request, ``encode`` turns a :class:`Rendered` response into the provider's form."""

    kind = HTTPRequest

    def request(self, raw: Any) -> HTTPRequest[Any]:
        raise NotImplementedError

    def decode(self, raw: Any, context: Context | None = None) -> list[Event[Any]]:
        """``[request(raw)]``; a malformed payload raises :class:`EventDecodeError`
        naming the trigger and the payload's keys."""
        try:
            return [self.request(raw)]
        except _MALFORMED as exc:
            raise self.malformed(exc, raw) from None

    def malformed(self, exc: Exception, raw: Any) -> EventDecodeError:
        """The error for what building the request raised: an EventDecodeError as it
        is, anything else named by its type and the payload's keys (never values)."""
        return malformed(self.name, exc, raw)

    def encode(self, result: Rendered, raw: Any) -> Any:
        raise NotImplementedError

    def route(self, context: Context) -> str | None:
        """The route template the request was routed by (``http.route``), where the
        platform knows it and the payload does not say it (Azure: the function's
        binding); ``None`` by default."""
        return None

    def event_for(self, fn: Function[Any], raw: Any, context: Context) -> Event[Any]:
        """The event ``fn`` gets for ``raw``: the decoded request, unless the provider
        gives a handler of another kind what it takes (Google Cloud: a Cloud
        Scheduler job or a Pub/Sub push to a ``Schedule``/``Message`` handler).
        ``invoke`` answers the errors a malformed payload raises here with 400."""
        return self.request(raw)

    def invoke(self, fn: Function[Any], raw: Any, context: Context, **options: Any) -> Any:
        """Decode, run the handler, render and encode: the one HTTP failure policy
        (module docstring); every failure becomes a problem response."""
        try:
            try:
                event = self.event_for(fn, raw, context)
            except _MALFORMED as exc:
                raise self.malformed(exc, raw) from None
            result = fn.call(event, context)
            # A web bridge's answer is rendered already: no render frame for it.
            rendered = result if isinstance(result, Rendered) else render(result, self.name)
        except Exception as exc:
            rendered = failure_answer(exc, context, self.name)
        try:
            return self.encode(rendered, raw)
        except Exception as exc:  # e.g. several cookies where the format allows one
            context.logger.exception("response cannot be encoded", exc, trigger=self.name)
            return self.encode(problem(500, "Internal Server Error",
                                       f"The response could not be encoded; see the logs for "
                                       f"request id {context.request_id}."), raw)


def wrong_kind(exc: WrongKindError) -> Rendered:
    """The one answer to an event of a kind the handler does not take: 415
    problem+json (a 4xx: resending the same delivery cannot help). The message
    names handler, trigger and kinds only, never values: safe to return."""
    return problem(415, "Unsupported Media Type", str(exc))


def refusal(fn: Function[Any], events: list[Event[Any]]) -> WrongKindError | None:
    """The :class:`WrongKindError` for the first event of a delivery ``fn`` does not
    take, checked before anything runs; ``None`` when it takes them all."""
    for event in events:
        try:
            fn.check(event)
        except WrongKindError as exc:
            return exc
    return None


def failure_answer(exc: BaseException, context: Context, trigger: str) -> Rendered:
    """The one HTTP answer for a failure (module docstring), on every HTTP path: data
    not matching the model 422, a malformed request 400 (its message names trigger
    and keys only, never values: safe to return), anything else 500 with the
    traceback logged under the request id and never in the body."""
    if isinstance(exc, DataValidationError):
        return validation_problem(exc)
    if isinstance(exc, EventDecodeError):
        return problem(400, "Bad Request", str(exc))
    if isinstance(exc, WrongKindError):
        return wrong_kind(exc)
    context.logger.exception("handler failed", exc, trigger=trigger)
    return problem(500, "Internal Server Error", "The function failed; see its "
                   f"logs for request id {context.request_id}.")
