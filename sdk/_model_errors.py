"""pydantic's validation errors without the payload's values.

``ValidationError.errors(include_input=False, include_context=False)`` drops the
``input`` and ``ctx`` fields, but some messages quote the input all the same: a
discriminated union names the tag it found (``Input tag 'x' found using...``),
parsers append their own detail (``Input should be a valid UUID, invalid
character: found `S` at 0``), email validation its reason. Such messages are
rendered again from pydantic-core's own template with the echoing context
values left out; every other message is kept as pydantic wrote it. Text that a
model's own validator raises (``value_error``, ``assertion_error``) is the
user's, as a handler's exception text is, and is kept too.

Error types and templates: ``pydantic_core.list_all_errors()``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["HIDDEN", "safe_errors"]

#: What stands in for a value in a message.
HIDDEN = "[hidden]"

#: error type -> the ``ctx`` keys of its template that quote the input.
_ECHOING: dict[str, tuple[str, ...]] = {
    "union_tag_invalid": ("tag",),
    "timezone_offset": ("tz_actual",),
    "bytes_invalid_encoding": ("encoding_error",),
    **{kind: ("error",) for kind in (
        "date_from_datetime_parsing", "date_parsing", "datetime_from_date_parsing",
        "datetime_object_invalid", "datetime_parsing", "get_attribute_error",
        "iteration_error", "mapping_type", "time_delta_parsing", "time_parsing",
        "url_parsing", "url_syntax_violation", "uuid_parsing",
    )},
}
#: ``ctx`` keys that carry a library validator's reason (pydantic's ``EmailStr``:
#: ``value is not a valid email address: {reason}``), which may quote the input.
_REASONS = ("reason",)
#: A detail appended to a fixed message, cut off whole rather than replaced.
_TAILS = (", error: ", ", got ", ", ", ": ")


def _without(message: str, detail: str) -> str:
    """``message`` with a trailing ``detail`` (and the separator before it) cut off;
    any other occurrence hidden."""
    if detail and message.endswith(detail):
        head = message[: len(message) - len(detail)]
        for tail in _TAILS:
            if head.endswith(tail):
                return head[: len(head) - len(tail)]
    return message.replace(detail, HIDDEN) if detail else message


def _rendered(kind: str, context: dict[str, Any], hidden: tuple[str, ...]) -> str | None:
    from pydantic_core import PydanticKnownError

    masked = {**context, **{key: HIDDEN for key in hidden if key in context}}
    try:
        return str(PydanticKnownError(kind, masked).message())  # type: ignore[arg-type]
    except Exception:  # a context pydantic-core does not know: fall back below
        return None


def _message(error: dict[str, Any]) -> str:
    message = str(error.get("msg", ""))
    context = error.get("ctx") or {}
    kind = str(error.get("type", ""))
    hidden = _ECHOING.get(kind)
    if hidden and context:
        rendered = _rendered(kind, context, hidden)
        if rendered is not None:
            return _without(rendered, HIDDEN)
        for key in hidden:
            message = _without(message, str(context.get(key, "")))
    for key in _REASONS:
        if key in context:
            message = _without(message, str(context[key]))
    return message


def safe_errors(exc: Any, prefix: tuple[str | int, ...] = ()) -> list[dict[str, Any]]:
    """``exc.errors()`` as ``{"loc", "type", "msg"}`` dicts: locations (keys and
    positions, under ``prefix``), types and messages that quote no input value."""
    errors = exc.errors(include_url=False, include_input=False, include_context=True)
    return [{"type": e.get("type"), "loc": (*prefix, *e.get("loc", ())), "msg": _message(e)}
            for e in errors]
