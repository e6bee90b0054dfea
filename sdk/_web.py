"""What ASGI's scope and WSGI's environ both read from an :class:`HTTPRequest`.

Both bridges see the same request the same way: the scheme the client used, the
server it addressed, the query string, the path as requested (root path + path)
and the headers with every value. The rules, provider-neutral:

* scheme: ``X-Forwarded-Proto`` (API Gateway, ALB, Azure Front Door and Cloud Run's
  front end set it), else ``https`` — every cloud's front end is HTTPS — except
  for ``polyfn serve`` (provider ``local``), which is plain HTTP.
* server: the ``Host`` header's name and port (without one, the domain name the
  platform reports as the event's ``source``: API Gateway's ``domainName``);
  without a port, ``X-Forwarded-Port``, else the scheme's default (443 / 80).
* cookies: HTTP API and function URL payloads carry the ``Cookie`` header apart,
  as a list (payload 2.0); a ``cookie`` header is rebuilt from it, as browsers
  send it (``a=1; b=2``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ._context import Context
from ._event import Event
from ._function import Function
from ._http import HTTPRequest
from ._response import Rendered
from .errors import ConfigurationError

__all__ = ["AppBridge", "asgi_headers", "header_bytes", "header_pairs", "map_headers", "origin",
           "query_string", "request_path", "sent_fields"]

_DEFAULT_PORTS = {"https": 443, "http": 80}
#: Query names and values that urlencode leaves as they are.
_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*\Z").match


#: What a warm instance sees on every request, worked out once: the same Host,
#: X-Forwarded-Proto and X-Forwarded-Port (bounded: cleared when full).
_SEEN: dict[tuple[Any, ...], Any] = {}
_SEEN_MAX = 256


def origin(request: HTTPRequest[Any]) -> tuple[str, tuple[str, int] | None]:
    """(scheme, server): what the client used and addressed (module docstring);
    the server is None without a ``Host`` header or a domain name."""
    get = request.headers.get
    return _origin_of(request, get("host"), get("x-forwarded-proto"), get("x-forwarded-port"))


def _origin_of(request: HTTPRequest[Any], host: str | None, proto: str | None,
               port: str | None) -> tuple[str, tuple[str, int] | None]:
    key = (host, proto, port, request.provider == "local")
    found = _SEEN.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    found = _origin(request, host, proto, port)
    if host:  # else the server comes from ``source``, which is not in the key
        _remember(_SEEN, key, found)
    return found


def _origin(request: HTTPRequest[Any], host: str | None, proto: str | None,
            port: str | None) -> tuple[str, tuple[str, int] | None]:
    if proto:
        scheme = proto.partition(",")[0].strip().lower()
    else:
        scheme = "http" if request.provider == "local" else "https"
    if not host:
        source = request.source
        if not source or ":" in source or "/" in source or "." not in source:
            return scheme, None  # an ARN, an API id: not a host name
        host = source
    return scheme, _server(host, port or "", scheme)


def _server(host: str, forwarded: str, scheme: str) -> tuple[str, int]:
    name, port = host, ""
    if host.startswith("["):  # [IPv6]:port
        end = host.find("]")
        name, port = host[: end + 1], host[end + 2:]
    elif host.count(":") == 1:
        name, _, port = host.partition(":")
    if not port.isdigit():
        port = forwarded
    return name, int(port) if port.isdigit() else _DEFAULT_PORTS.get(scheme, 80)


def request_path(request: HTTPRequest[Any]) -> tuple[str, str]:
    """(root path, path) percent-decoded, as ASGI and PEP 3333 want them."""
    path, root = request.path or "/", request.root_path
    if "%" in path or "%" in root:
        from urllib.parse import unquote

        path, root = unquote(path), unquote(root)
    return root, path


def query_string(request: HTTPRequest[Any]) -> str:
    """The query string as sent, else rebuilt from every (name, value) pair."""
    sent = request.query_string()
    if sent is not None:
        return sent
    pairs = request.query.multi_items()
    if not pairs:
        return ""
    plain = _PLAIN
    for name, value in pairs:
        if not (plain(name) and plain(value)):
            from urllib.parse import urlencode

            return urlencode(pairs)
    return "&".join([f"{name}={value}" for name, value in pairs])  # urlencode's result


def header_pairs(request: HTTPRequest[Any]) -> list[tuple[str, str]]:
    """Every (lower-case name, value) pair, with ``cookie`` rebuilt when the
    payload carried cookies apart (module docstring)."""
    pairs = request.headers.multi_items()
    for name, _ in pairs:
        if name == "cookie":
            return pairs
    # No Cookie header: the payload may carry the cookies apart.
    pairs.extend(("cookie", value) for value in request._read_cookie_header())
    return pairs


def header_bytes(request: HTTPRequest[Any]) -> list[tuple[bytes, bytes]]:
    """:func:`header_pairs` as ASGI's lower-case byte pairs."""
    return asgi_headers(request)[0]


def asgi_headers(request: HTTPRequest[Any]
                 ) -> tuple[list[tuple[bytes, bytes]], str, tuple[str, int] | None]:
    """(:func:`header_bytes`, scheme, server), read together. A platform that sent
    one value per name (HTTP API, function URLs, Azure) is read straight from its
    map: joined, encoded and split back in a few C calls rather than four per
    header; the names, the same on every request of a client, are encoded once."""
    headers = request.headers
    single = headers._single
    if single.__class__ is dict and single and headers._multi is None and headers._pairs is None:
        found = map_headers(request, single)
        if found is not None:
            return found
    proto, addressed = origin(request)
    pairs = header_pairs(request)
    try:
        return [(name.encode("latin-1"), value.encode("latin-1"))
                for name, value in pairs], proto, addressed
    except UnicodeEncodeError:  # a platform that decoded UTF-8 bytes: send them back
        return [(_latin1(name), _latin1(value)) for name, value in pairs], proto, addressed


def sent_fields(request: HTTPRequest[Any]) -> tuple[list[tuple[bytes, bytes]], str,
                                                    tuple[str, int] | None, str,
                                                    str | None] | None:
    """(:func:`asgi_headers`, query string, client address) from what the request's
    view found in its payload (``HTTPRequest._sent_scope``), by the same rules
    as from its fields; None when the view has none or the map is not plain
    ASCII (:func:`map_headers`)."""
    sent = request._sent_scope()
    if sent is None:
        return None
    single, query, address = sent
    found = map_headers(request, single)
    if found is None:
        return None
    return found[0], found[1], found[2], query, address


def map_headers(request: HTTPRequest[Any], single: dict[str, Any]
                ) -> tuple[list[tuple[bytes, bytes]], str, tuple[str, int] | None] | None:
    """:func:`asgi_headers` of a request whose headers are ``single``, the
    platform's map of one value per name (HTTP API, function URLs, Azure); None
    when a name or value is not ASCII text or holds a line break (then the
    general way reads them)."""
    try:
        keys, texts = "\n".join(single), "\n".join(single.values())
    except TypeError:  # a value that is not text: the index says what is wrong
        return None
    if not texts.isascii():
        return None
    shape = _NAMES.get(keys)
    if shape is None:
        if not keys.isascii() or keys.count("\n") != len(single) - 1:
            return None
        shape = _remember(_NAMES, keys, (keys.lower().encode().split(b"\n"), keys.islower()))
    names, exact = shape
    values = texts.encode().split(b"\n")
    if len(values) != len(names):  # a value holding a line break
        return None
    out = list(zip(names, values))  # noqa: B905 (lengths equal: checked; a keyword costs)
    get: Callable[[str], str | None]
    if exact:  # as HTTP APIs send them: the map's own keys are exact
        get = single.get
        sent = "cookie" in single
    else:
        get, sent = request.headers.get, b"cookie" in names
    if not sent:  # the payload may carry the cookies apart
        apart = request._read_cookie_header()
        if apart:
            out.extend((b"cookie", _latin1(v)) for v in apart)
    proto, addressed = _origin_of(request, get("host"), get("x-forwarded-proto"),
                                  get("x-forwarded-port"))
    return out, proto, addressed


#: Header names as sent, joined -> (their lower-case bytes, whether they were
#: lower-case already): worked out once per client shape (bounded: cleared when full).
_NAMES: dict[str, tuple[list[bytes], bool]] = {}


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> Any:
    if len(cache) >= _SEEN_MAX:
        cache.clear()
    cache[key] = value
    return value


def _latin1(text: str) -> bytes:
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:  # a platform that decoded UTF-8 bytes: send them back
        return text.encode("utf-8")


class AppBridge(Function[Any]):
    """What ``sdk.asgi`` and ``sdk.wsgi`` share: a polyfn HTTP handler whose work is
    :meth:`handle` (serving the request with ``app``), run by adapters through
    :meth:`call`."""

    def __init__(self, app: Any, needs: str) -> None:
        """``needs`` names what ``app`` must be, for the error (``sdk.asgi needs an
        ASGI application``)."""
        if not callable(app):
            raise ConfigurationError(f"{needs}, not {type(app).__name__}")
        self.app = app
        bridge = self

        def serve(request: HTTPRequest[Any], context: Context) -> Rendered:
            return bridge.handle(request, context)

        super().__init__(serve)

    def call(self, event: Event[Any], context: Context) -> Rendered:
        """What adapters run: ``Function.call`` without its two frames (model,
        async) that a bridge never needs, the kind check kept."""
        if not isinstance(event, HTTPRequest):
            self.check(event)  # raises WrongKindError: a 415
        return self.handle(event, context)  # type: ignore[arg-type]

    def handle(self, request: HTTPRequest[Any], context: Context) -> Rendered:
        raise NotImplementedError
