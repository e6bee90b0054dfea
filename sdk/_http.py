"""HTTP requests as events."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from ._data import Payload
from ._event import UNSET, Event, T
from ._jsonform import loads
from ._multidict import Headers, Query, _MultiDict
from .errors import MALFORMED, EventDecodeError, malformed

__all__ = ["BODY", "HTTPRequest", "parse_cookie_header"]

_R = TypeVar("_R")


def parse_cookie_header(values: list[str]) -> dict[str, str]:
    """Cookies from ``Cookie`` header values (or API Gateway's list of ``name=value``
    items), the one rule for every provider: the first value of a name wins, a
    quoted value is unquoted, and a bare ``name`` (API Gateway passes them on) is a
    cookie with an empty value."""
    cookies: dict[str, str] = {}
    for header in values:
        for part in header.split(";"):
            name, _, value = part.strip().partition("=")
            name = name.strip()
            if name and name not in cookies:
                cookies[name] = _unquote(value.strip())
    return cookies


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        from http.cookies import SimpleCookie  # rare: quoted values only

        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(f"x={value}")
            return jar["x"].value
        except Exception:  # a malformed quoted value stays as sent
            return value
    return value


#: ``payload`` when it is the body. A marker, not a bound method: that would make
#: every request a reference cycle only the garbage collector frees.
BODY: Any = object()


class HTTPRequest(Event[T]):
    """An HTTP request (kind ``http``).

    ``body`` is the raw bytes; ``data`` the body decoded by the common rule (or the
    handler's model); ``json()`` and ``text()`` read the body explicitly.
    """

    kind: ClassVar[str] = "http"
    _fields: ClassVar[tuple[str, ...]] = (
        "method",
        "path",
        "headers",
        "query",
        "cookies",
        "path_params",
        "source_ip",
    )

    __slots__ = ("_body", "_content_type", "_cookies", "_headers", "_query", "_root_path",
                 "_source_ip", "method", "path", "path_params")
    _content_type: str | None  # UNSET until read: then the Content-Type header
    _headers: Headers | None  # None, _query None, _source_ip UNSET: see _read_*
    _query: Query | None
    _source_ip: Any
    _root_path: Any  # a str, or UNSET in a view until ``_read_root_path``

    def __init__(
        self,
        *,
        method: str,
        path: str,
        headers: Headers | None = None,
        query: Query | None = None,
        body: bytes | str | Callable[[], bytes] | None = None,
        cookies: Mapping[str, str] | None = None,
        path_params: Mapping[str, str] | None = None,
        source_ip: str | None = None,
        root_path: str = "",
        # Event's attributes, spelled out: forwarding ``**attributes`` costs a dict
        # per request. ``data_content_type`` defaults to the Content-Type header
        # (read when first needed), ``payload`` to the body.
        provider: str,
        trigger: str,
        id: str | None = None,
        source: str | None = None,
        type: str | None = None,
        subject: str | None = None,
        time: datetime | Callable[[], datetime | None] | None = None,
        data: Any = UNSET,
        payload: Payload | None = UNSET,
        data_content_type: str | None = UNSET,
        attributes: Mapping[str, str] | None = None,
        raw: Any = None,
        native: Callable[[], Any] | None = None,
    ) -> None:
        self.method = method.upper()
        self.path = path
        self._headers = headers if headers is not None else Headers()
        self._query = query if query is not None else Query()
        self._body = body
        self._cookies = cookies
        self.path_params: Mapping[str, str] = path_params or {}
        self._source_ip = source_ip
        self._root_path = root_path
        self._set(provider, trigger, id, source, type, subject, time, data,
                  BODY if payload is UNSET else payload, data_content_type,
                  attributes, raw, native)
        # Built lazily from the provider's maps: a malformed one names this trigger.
        if isinstance(headers, _MultiDict):
            headers._owner = trigger
        if isinstance(query, _MultiDict):
            query._owner = trigger

    # headers, query, source_ip and cookies are properties so that a view over a
    # provider's payload can leave them unset (None, or UNSET for source_ip) and
    # build them in ``_read_*`` on first read; they stay settable like any field.
    @property
    def headers(self) -> Headers:
        """Request headers, case-insensitive, every value kept (:class:`~sdk.Headers`)."""
        headers = self._headers
        if headers is None:
            headers = self._headers = self._lazy("headers", self._read_headers)
            headers._owner = self.trigger  # what its errors name, should it be malformed
        return headers

    @headers.setter
    def headers(self, value: Headers) -> None:
        self._headers = value

    def _read_headers(self) -> Headers:
        return Headers()

    @property
    def query(self) -> Query:
        """Query-string parameters, every value kept (:class:`~sdk.Query`)."""
        query = self._query
        if query is None:
            query = self._query = self._lazy("query", self._read_query)
            query._owner = self.trigger
        return query

    @query.setter
    def query(self, value: Query) -> None:
        self._query = value

    def _read_query(self) -> Query:
        return Query()

    @property  # Event's attribute, read from the headers
    def data_content_type(self) -> str | None:
        """The Content-Type header unless given otherwise (found on first read)."""
        ctype = self._content_type
        if ctype is UNSET:
            ctype = self._content_type = self.headers.get("content-type")
        return ctype

    @data_content_type.setter
    def data_content_type(self, value: str | None) -> None:
        self._content_type = value

    @property
    def source_ip(self) -> str | None:
        """The client's address, as the provider reports it."""
        address = self._source_ip
        if address is UNSET:
            address = self._source_ip = self._lazy("source_ip", self._read_source_ip)
        return address  # type: ignore[no-any-return]

    @source_ip.setter
    def source_ip(self, value: str | None) -> None:
        self._source_ip = value

    def _read_source_ip(self) -> str | None:
        return None

    @property
    def root_path(self) -> str:
        """The prefix the platform removed from the URL's path before ``path``: an API
        Gateway stage (``/prod``), the Azure route prefix (``/api``); ``""`` when none.
        ``root_path + path`` is the path the client requested (what a web app's
        ``url_for`` needs, ASGI's ``root_path`` / WSGI's ``SCRIPT_NAME``)."""
        root = self._root_path
        if root is UNSET:
            root = self._root_path = self._read_root_path()
        return root  # type: ignore[no-any-return]

    @root_path.setter
    def root_path(self, value: str) -> None:
        self._root_path = value

    def _read_root_path(self) -> str:
        return ""

    @property
    def body(self) -> bytes:
        """The request body as bytes (``b""`` when there is none)."""
        body = self._body
        if body is None:
            return b""
        if callable(body):
            try:
                body = body()
            except (ValueError, TypeError):
                raise EventDecodeError(self.trigger, "body is marked base64 but is not valid "
                                       "base64", keys=["body"]) from None
        if isinstance(body, str):
            try:
                body = body.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate ("\ud800") is no text at all
                raise EventDecodeError(self.trigger, "body is not valid Unicode text",
                                       keys=["body"]) from None
        elif isinstance(body, (bytearray, memoryview)):
            body = bytes(body)
        elif not isinstance(body, bytes):
            raise EventDecodeError(self.trigger, "body must be text or bytes", keys=["body"])
        self._body = body
        return body

    def payload_bytes_or_text(self) -> bytes | str:
        if self._payload is BODY:  # the default: the body is the payload
            return self.body
        return super().payload_bytes_or_text()

    @property
    def cookies(self) -> Mapping[str, str]:
        """Request cookies by name (first value wins)."""
        cookies = self._cookies
        if cookies is None:
            cookies = self._cookies = self._lazy("cookies", self._read_cookies)
        return cookies

    def _lazy(self, name: str, read: Callable[[], _R]) -> _R:
        """A field read from the payload on first use: a payload of the wrong shape
        raises :class:`EventDecodeError` naming the field (an HTTP trigger answers
        400), never a TypeError inside the handler."""
        try:
            return read()
        except MALFORMED as exc:
            raise malformed(self.trigger, exc, keys=[name]) from None

    def _read_cookies(self) -> Mapping[str, str]:
        """The cookies of the ``Cookie`` headers (a view may have them elsewhere)."""
        return parse_cookie_header(self.headers.get_all("cookie"))

    def query_string(self) -> str | None:
        """The query string as the client sent it, when the payload carries it
        (``None``: only the parsed :attr:`query` is known)."""
        return None

    def _read_cookie_header(self) -> list[str]:
        """``Cookie`` header values a payload carries apart from its headers (HTTP
        API 2.0's ``cookies``), for web apps that parse the header themselves."""
        return []

    def text(self, encoding: str | None = None) -> str:
        """The body as text (UTF-8 unless ``encoding`` or the charset says otherwise)."""
        if encoding is None:
            ctype = self.headers.get("content-type") or ""
            _, _, charset = ctype.partition("charset=")
            encoding = charset.split(";")[0].strip().strip('"') or "utf-8"
        try:
            return self.body.decode(encoding)
        except UnicodeDecodeError as exc:
            raise EventDecodeError(self.trigger, f"body is not valid {exc.encoding} text",
                                   keys=["body"]) from None
        except (LookupError, ValueError):  # the charset is the client's text: not repeated
            raise EventDecodeError(self.trigger, "the Content-Type charset is not a known "
                                   "encoding", keys=["content-type"]) from None

    def json(self) -> Any:
        """The body parsed as JSON; :class:`EventDecodeError` when it is not JSON."""
        data = self._data
        if data.__class__ is dict or data.__class__ is list:  # decoded from this body
            return data
        sent = self._body
        try:
            # Text as sent is parsed without json's detection and decoding of bytes;
            # text starting with a BOM or a NUL takes that way, as the bytes would.
            if sent.__class__ is str and sent[:1] != "\ufeff" and "\x00" not in sent[:2]:
                return loads(sent)
            return loads(self.body)
        except ValueError:
            raise EventDecodeError(self.trigger, "body is not valid JSON", keys=["body"]) from None
        except RecursionError:
            raise EventDecodeError(self.trigger, "body is nested too deeply to parse",
                                   keys=["body"]) from None

    def _data_to_dict(self, out: dict[str, Any]) -> None:
        body = self.body
        try:
            out["body"] = body.decode("utf-8")
        except UnicodeDecodeError:
            import base64

            out["body_base64"] = base64.b64encode(body).decode("ascii")

    def __repr__(self) -> str:
        return f"<HTTPRequest {self.trigger} {self.method} {self.path}>"
