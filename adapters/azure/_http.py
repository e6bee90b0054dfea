"""The HTTP trigger: ``func.HttpRequest`` in, ``func.HttpResponse`` out.

What the worker hands over (https://learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook-trigger?pivots=programming-language-python#payload):
the host sends ``RpcHttp`` whose headers are a ``map<string,string>``, so names arrive
lower-cased and a repeated header as one comma-joined value (kept as sent, never
split); ``req.params`` keeps one value per query name, so the query is parsed from
the URL again to keep repeats; ``route_params`` are the route template's values.

``path`` drops the host's route prefix (``api`` unless host.json's
``extensions.http.routePrefix`` says otherwise), as the AWS adapter drops a stage
name, so one handler sees ``/hello`` on every cloud. The worker is not told the
prefix: set ``POLYFN_AZURE_ROUTE_PREFIX`` to the host.json value when it is not
``api`` (an empty value keeps every path as requested).

What goes back: ``HttpResponseConverter.encode`` (azure-functions-python-library
``http.py``) turns the headers into another ``map<string,string>`` (a repeated name
would keep only its last value: they are comma-joined here, RFC 9110 5.3) and every
``Set-Cookie`` into an ``RpcHttpCookie`` parsed with ``http.cookies``. That parser
drops a cookie it cannot read and the worker fails the invocation on an ``Expires``
or ``Max-Age`` it cannot read, so such cookies answer 500 here, loudly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import unquote

from adapters._http import HTTPTrigger, QueryPairs, forwarded_client
from sdk import Context, Headers, HTTPRequest, Query
from sdk.adapter import UNSET, Rendered, field_group
from sdk.errors import ResponseEncodeError

from ._native import azure_functions, is_native

__all__ = ["HTTP", "strip_prefix"]

#: ``Expires`` as the worker parses it (azure-functions-python-worker ``datumdef.py``).
_EXPIRES_FORMAT = "%a, %d %b %Y %H:%M:%S GMT"


def _url_fields(view: AzureRequest) -> tuple[str, str | None, str, str]:
    """The request's URL fields, in one pass over the URL and without urlsplit's
    cost: (decoded path under the route prefix, host, the prefix when the path
    started with it, raw query string). The host is what precedes the first ``/``
    after the scheme (``None`` without a scheme); the path is ``/`` when there is
    no ``/``."""
    url: str = view.raw.url
    _, sep, rest = url.partition("://")
    if not sep:
        rest = url
    name, slash, target = rest.partition("/")
    host = name if sep and name else None
    if not slash:
        return "/", host, "", ""
    if "#" in target:
        target = target.partition("#")[0]
    path, _, query = target.partition("?")
    path = "/" + unquote(path) if "%" in path else "/" + path
    prefix = view._prefix
    if prefix and path.startswith(prefix):
        stripped = strip_prefix(path, prefix)
        if stripped is not path:
            return stripped, host, prefix, query
    return path, host, "", query


def _route_prefix() -> str:
    prefix = os.environ.get("POLYFN_AZURE_ROUTE_PREFIX", "api").strip("/")
    return f"/{prefix}" if prefix else ""


def strip_prefix(path: str, prefix: str) -> str:
    """``/api/hello`` -> ``/hello``; a path outside the prefix stays as it is."""
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        return path[len(prefix):] or "/"
    return path


def _header_dict(headers: Any) -> dict[str, str]:
    """The request's headers as a plain dict of lower-case names.

    ``HttpRequestHeaders`` keeps exactly that dict in ``__http_headers__``; reading
    it directly is several times cheaper than going through its Mapping methods.
    """
    inner = getattr(headers, "__http_headers__", None)
    if isinstance(inner, dict):
        return inner
    return {str(name).lower(): value for name, value in headers.items()}


def client_ip(headers: Mapping[str, str]) -> str | None:
    """The client's address: the Functions host passes no measured address to the
    worker, only the headers, and App Service's front end appends the client it
    saw to ``X-Forwarded-For`` (as ``ip:port``): its right-most entry, by the one
    rule of :func:`adapters._http.forwarded_client`. ``X-Azure-ClientIP`` and
    ``X-Client-IP`` are not read: a client can send them itself (Front Door:
    https://learn.microsoft.com/azure/frontdoor/front-door-http-headers-protocol)."""
    return forwarded_client(headers.get("x-forwarded-for"))


_url = field_group(_url_fields, "_url")
_url_values = _url.values  # the raw query string (index 3), for the methods that read it


class AzureRequest(HTTPRequest[Any]):
    """A ``func.HttpRequest`` as an :class:`HTTPRequest`: the method is read from it
    here; the URL (path, host as ``source``, query), headers, client address and
    content type when a handler first reads them. ``native`` and ``raw`` are the
    request itself."""

    __slots__ = ("_prefix", "_subject", "_url")

    # From the URL, together, on first read (``_url_fields``).
    path: str = _url(0)  # HTTPRequest's attribute, under the route prefix
    source: str | None = _url(1)  # Event's attribute: the host
    root_path: str = _url(2)  # HTTPRequest's lazy field, read with the path here

    def __init__(self, raw: Any, trigger: str, prefix: str) -> None:
        route = raw.route_params  # a read-only view: copied only when there is something
        self.method = raw.method.upper()
        self._prefix = prefix
        self._url = UNSET  # path, source, query string, root path: from the URL
        self._subject = UNSET
        self._headers = UNSET  # headers, query, client address: on first read
        self._query = UNSET
        self._source_ip = UNSET
        self._body = raw.get_body()
        self._cookies = UNSET
        self._content_type = UNSET
        self.path_params = dict(route) if route else {}
        self.provider = "azure"
        self.trigger = trigger
        self.id = None
        self.type = None
        self._time = None
        self._data = UNSET
        self._payload = UNSET  # the body
        self.attributes = {}
        self.raw = raw
        self._native = UNSET  # ``native`` is ``raw``

    @property  # Event's attribute: the path unless set otherwise
    def subject(self) -> str | None:
        subject = self._subject
        return self.path if subject is UNSET else subject

    @subject.setter
    def subject(self, value: str | None) -> None:
        self._subject = value

    def _read_headers(self) -> Headers:
        return Headers(_header_dict(self.raw.headers))

    def _read_query(self) -> Query:
        text = _url_values(self)[3]
        return Query(pairs=QueryPairs(text)) if text else Query()

    def _read_source_ip(self) -> str | None:
        return client_ip(_header_dict(self.raw.headers))

    def query_string(self) -> str | None:
        return _url_values(self)[3]  # type: ignore[no-any-return]


class HTTP(HTTPTrigger):
    """HTTP trigger (``app.route``): any method, any route."""

    name = "azure.http"
    semantics = ("Returns the handler's Response (or plain value) as func.HttpResponse; bad "
                 "input answers 400/422 problem+json, a handler error 500 problem+json.")

    def __init__(self) -> None:
        self.prefix = _route_prefix()  # read once, when the adapter is imported

    def matches(self, raw: Any) -> bool:
        return is_native(raw, "HttpRequest")

    def request(self, raw: Any) -> HTTPRequest[Any]:
        return AzureRequest(raw, self.name, self.prefix)

    def route(self, context: Context) -> str | None:
        """The route template from the function's binding (``_route``), under the
        route prefix as the host reads it then."""
        from ._route import route

        return route(context, _route_prefix)

    def encode(self, result: Rendered, raw: Any) -> Any:
        for cookie in result.cookies:
            _check_cookie(cookie, self.name)
        mimetype, charset = _media_type(result.content_type)
        func = azure_functions()
        response = func.HttpResponse(result.body, status_code=result.status,
                                     headers=result.single_headers(), mimetype=mimetype,
                                     charset=charset)
        for cookie in result.cookies:
            response.headers.add("Set-Cookie", cookie)
        return response


_MEDIA_TYPES: dict[str, tuple[str | None, str | None]] = {}


def _media_type(content_type: str | None) -> tuple[str | None, str | None]:
    """``HttpResponse``'s mimetype and charset, matching the Content-Type header
    (worked out once per Content-Type: a function answers with a few)."""
    if not content_type:
        return None, None
    known = _MEDIA_TYPES.get(content_type)
    if known is None:
        known = _parse_media_type(content_type)
        if len(_MEDIA_TYPES) < 256:
            _MEDIA_TYPES[content_type] = known
    return known


def _parse_media_type(content_type: str) -> tuple[str | None, str | None]:
    mimetype, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip('"')
    return mimetype.strip() or None, charset


def _check_cookie(value: str, trigger: str) -> None:
    """Refuse a Set-Cookie value the worker would drop or fail on (see module doc)."""
    name = value.split("=", 1)[0].strip()
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(value)
    except CookieError:
        jar.clear()
    if list(jar) != [name]:
        raise ResponseEncodeError(trigger, "a Set-Cookie value the Functions worker cannot "
                                  "carry: one cookie with Domain, Path, Expires, Max-Age, "
                                  "Secure, HttpOnly or SameSite attributes only")
    morsel = jar[name]
    try:
        if morsel["expires"]:
            datetime.strptime(morsel["expires"], _EXPIRES_FORMAT)
        if morsel["max-age"]:
            float(morsel["max-age"])
    except ValueError:
        raise ResponseEncodeError(trigger, f"Set-Cookie {name!r}: Expires must read like "
                                  "'Wed, 21 Oct 2015 07:28:00 GMT' and Max-Age be a number "
                                  "(the Functions worker rejects anything else)") from None
