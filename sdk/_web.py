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
from typing import Any

from ._http import HTTPRequest

__all__ = ["header_bytes", "header_pairs", "query_string", "request_path", "scheme", "server"]

_DEFAULT_PORTS = {"https": 443, "http": 80}
#: Query names and values that urlencode leaves as they are.
_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*\Z").match


#: Header values seen before -> what they say: a warm instance sees the same Host
#: and X-Forwarded-Proto on every request (bounded: cleared when full).
_SEEN: dict[tuple[str, str, str], Any] = {}
_SEEN_MAX = 256


def _remember(key: tuple[str, str, str], value: Any) -> Any:
    if len(_SEEN) >= _SEEN_MAX:
        _SEEN.clear()
    _SEEN[key] = value
    return value


def scheme(request: HTTPRequest[Any]) -> str:
    forwarded = request.headers.get("x-forwarded-proto")
    if forwarded:
        found = _SEEN.get(("proto", forwarded, ""))
        if found is None:
            found = _remember(("proto", forwarded, ""), forwarded.partition(",")[0].strip().lower())
        return found  # type: ignore[no-any-return]
    return "http" if request.provider == "local" else "https"


def server(request: HTTPRequest[Any], scheme: str) -> tuple[str, int] | None:
    """(host, port) the client addressed; None without a ``Host`` header."""
    headers = request.headers
    host = headers.get("host")
    if not host:
        source = request.source
        if not source or ":" in source or "/" in source or "." not in source:
            return None  # an ARN, an API id: not a host name
        host = source
    forwarded = headers.get("x-forwarded-port") or ""
    key = (host, forwarded, scheme)
    found = _SEEN.get(key)
    if found is None:
        found = _remember(key, _server(host, forwarded, scheme))
    return found  # type: ignore[no-any-return]


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
    """:func:`header_pairs` as ASGI's lower-case byte pairs. A platform that sent one
    value per name (HTTP API, Azure) is read straight from its map, in one pass."""
    headers = request.headers
    single = headers._single
    if headers._multi is None and headers._pairs is None and single:
        try:
            out = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in single.items()]
        except (AttributeError, UnicodeEncodeError):  # a list or None value, UTF-8 text
            pass
        else:
            for name, _ in out:
                if name == b"cookie":
                    return out
            out.extend((b"cookie", _latin1(value)) for value in request._read_cookie_header())
            return out
    return [(_latin1(name), _latin1(value)) for name, value in header_pairs(request)]


def _latin1(text: str) -> bytes:
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:  # a platform that decoded UTF-8 bytes: send them back
        return text.encode("utf-8")
