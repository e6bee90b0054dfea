"""Redaction of credentials and query values in what polyfn logs.

Log lines outlive requests and are read by more people than the function's
callers trust with a session, so by default:

* the values of the ``Authorization``, ``Proxy-Authorization``, ``Cookie``,
  ``Set-Cookie`` and ``X-Api-Key`` headers are replaced by ``[redacted]``,
  wherever a logged field holds headers (a ``sdk.Headers``, an event, or a
  mapping under a ``headers`` key) or is itself named like one of them;
* query strings keep their names and lose their values (``?id=[redacted]``),
  in a ``sdk.Query``, under a ``query``/``query_string`` key, and in URLs and
  paths (``url``, ``path`` keys, and the dev server's request lines).

``POLYFN_LOG_REDACT=0`` (or ``false``/``no``/``off``) turns this off, for local
debugging; it is read when a line is written, so tests and a debugger can flip it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._env import getenv

__all__ = ["REDACTED", "SENSITIVE_HEADERS", "enabled", "redact_fields", "redact_headers",
           "redact_query", "redact_url"]

REDACTED = "[redacted]"
#: Header names (lower-case) whose values are credentials.
SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"})
#: Keys (lower-case, ``-`` and ``_`` alike) under which a logged value is a query.
_QUERY_KEYS = frozenset({"query", "query_string", "querystring", "querystringparameters",
                         "multivaluequerystringparameters", "rawquerystring", "params", "args"})
#: Keys under which a logged string is a URL or request target that may carry a query.
_URL_KEYS = frozenset({"url", "uri", "path", "raw_path", "rawpath", "target", "href"})
_HEADER_KEYS = frozenset({"headers", "multivalueheaders", "request_headers",
                          "response_headers"})
#: Keys under which a logged value is a request's cookies (a mapping or a list).
_COOKIE_KEYS = frozenset({"cookies", "cookie", "set_cookie"})
_OFF = frozenset({"0", "false", "no", "off"})
_DEPTH = 16  # nesting followed; deeper values are logged as they are
_SCALARS = (str, int, float, bool, type(None))


def enabled() -> bool:
    """Whether redaction is on (``POLYFN_LOG_REDACT`` unset or not ``0``/``false``)."""
    return (getenv("POLYFN_LOG_REDACT") or "1").strip().lower() not in _OFF


def _norm(key: Any) -> str:
    return str(key).lower().replace("-", "_")


def redact_query(text: str) -> str:
    """``a=1&b=2&c`` -> ``a=[redacted]&b=[redacted]&c``: names kept, values gone."""
    parts = []
    for part in text.split("&"):
        name, eq, _ = part.partition("=")
        parts.append(f"{name}={REDACTED}" if eq else name)
    return "&".join(parts)


def redact_url(url: str) -> str:
    """A URL or request target with its query's values redacted (fragment dropped)."""
    head, mark, query = url.partition("?")
    if not mark:
        return url
    return f"{head}?{redact_query(query.partition('#')[0])}"


def redact_headers(headers: Any, on: bool = True) -> dict[str, Any]:
    """Headers (a mapping, ``sdk.Headers`` or pairs) as a dict with credentials redacted
    (``on``); a name sent several times keeps its list of values."""
    out: dict[str, Any] = {}
    items = headers.items() if isinstance(headers, Mapping) else headers
    get_all = getattr(headers, "get_all", None)
    for name, value in items:
        values = get_all(name) if get_all is not None else value
        if on and str(name).lower() in SENSITIVE_HEADERS:
            values = [REDACTED] * len(values) if isinstance(values, list) else REDACTED
        out[str(name)] = values[0] if isinstance(values, list) and len(values) == 1 else values
    return out


def _query_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact_query(value.lstrip("?"))
    if isinstance(value, Mapping):
        return {str(k): ([REDACTED] * len(v) if isinstance(v, list) else REDACTED)
                for k, v in value.items()}
    return REDACTED


def _value(key: str | None, value: Any, depth: int, on: bool) -> Any:
    """``value`` as logged under ``key`` (normalised), redacted when ``on``."""
    if on and key is not None:
        if key in _COOKIE_KEYS and isinstance(value, Mapping):
            return {str(name): REDACTED for name in value}
        if key in _COOKIE_KEYS and isinstance(value, (list, tuple)):
            return [REDACTED] * len(value)
        if key.replace("_", "-") in SENSITIVE_HEADERS:
            return REDACTED
        if key in _QUERY_KEYS:
            return _query_value(_plain(value))
        if key in _URL_KEYS and isinstance(value, str):
            return redact_url(value)
        if key in _HEADER_KEYS and isinstance(value, Mapping):
            return redact_headers(value)
    if value.__class__ in _SCALARS or depth > _DEPTH:
        return value
    return _walk(value, depth + 1, on)


def _plain(value: Any) -> Any:
    """A Query as its mapping of lists; anything else as it is."""
    from ._multidict import Query

    if isinstance(value, Query):
        return {name: value.get_all(name) for name in value}
    return value


def _walk(value: Any, depth: int, on: bool) -> Any:
    from ._event import Event
    from ._multidict import Headers, Query

    if isinstance(value, Headers):
        return redact_headers(value, on)
    if isinstance(value, Query):
        return _query_value(_plain(value)) if on else _plain(value)
    if isinstance(value, Event):
        from ._jsonform import jsonable

        try:
            form = jsonable(value)
        except Exception:  # a malformed payload must not break the log line
            return f"<{value.kind} event {value.trigger}>"
        return _walk(form, depth, on)
    if isinstance(value, Mapping):
        return {k: _value(_norm(k), v, depth, on) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_value(None, v, depth, on) for v in value]
    return value


#: key -> whether a scalar logged under it is left as it is (a line's keys repeat).
_PLAIN_KEYS: dict[str, bool] = {}


def _plain_key(key: str) -> bool:
    plain = _PLAIN_KEYS.get(key)
    if plain is None:
        name = _norm(key)
        plain = not (name in _COOKIE_KEYS or name in _QUERY_KEYS or name in _URL_KEYS
                     or name.replace("_", "-") in SENSITIVE_HEADERS)
        if len(_PLAIN_KEYS) < 512:
            _PLAIN_KEYS[key] = plain
    return plain


def redact_fields(fields: dict[str, Any], on: bool = True) -> dict[str, Any]:
    """A log line's fields, in place, with credentials and query values redacted
    (``on``); headers, queries and events become their JSON forms either way. A
    scalar under an ordinary key costs a lookup; values are replaced, never edited."""
    for key, value in fields.items():
        if value.__class__ in _SCALARS and (not on or _plain_key(key)):
            continue
        fields[key] = _value(_norm(key), value, 0, on)  # same keys: safe while iterating
    return fields
