"""HTTP requests as events."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from ._event import Event, T, declared
from ._fields import UNSET, lazy
from ._jsonform import body_fields, loads
from ._multidict import Headers, Query, _MultiDict
from .errors import EventDecodeError

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._event import EventAttributes

__all__ = ["HTTPRequest", "parse_cookie_header"]

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
    # Each lazy field's slot (``sdk/_fields.py``) holds its value, or ``UNSET`` in a
    # view over a provider's payload until its ``_read_*`` reads it from there.
    # ``payload`` is ``UNSET`` while the body is the payload (the default); a marker,
    # not a bound method: that would make every request a reference cycle.
    _content_type: Any
    _headers: Any
    _query: Any
    _source_ip: Any
    _root_path: Any
    _cookies: Any
    _body: bytes | str | Callable[[], bytes] | None
    method: str
    path: str
    path_params: Mapping[str, str]

    #: ``payload`` is the body and ``data_content_type`` the Content-Type header
    #: (read when first needed) unless given.
    _attribute_defaults: ClassVar[dict[str, Any]] = {"payload": UNSET,
                                                     "data_content_type": UNSET}

    @declared
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
        **event: Unpack[EventAttributes],
    ) -> None:
        """The body is generated from this signature (``sdk/_event.py``); a lazy
        field given ``None`` is read on first use (empty headers and query, the
        cookies of the ``Cookie`` headers)."""

    def _post_init(self) -> None:
        self.method = self.method.upper()
        if not self.path_params:
            self.path_params = {}
        # Maps built lazily from the provider's payload: a malformed one names this trigger.
        for given in (self._headers, self._query):
            if isinstance(given, _MultiDict):
                given._owner = self.trigger

    def _read_headers(self) -> Headers:
        """Request headers, case-insensitive, every value kept (:class:`~sdk.Headers`)."""
        return Headers()

    def _owned_headers(self) -> Headers:
        """Request headers, case-insensitive, every value kept (:class:`~sdk.Headers`)."""
        headers = self._read_headers()
        headers._owner = self.trigger  # what its errors name, should it be malformed
        return headers

    headers = lazy("_headers", _owned_headers, key="headers")

    def _read_query(self) -> Query:
        """Query-string parameters, every value kept (:class:`~sdk.Query`)."""
        return Query()

    def _owned_query(self) -> Query:
        """Query-string parameters, every value kept (:class:`~sdk.Query`)."""
        query = self._read_query()
        query._owner = self.trigger
        return query

    query = lazy("_query", _owned_query, key="query")

    def _read_content_type(self) -> str | None:  # Event's attribute, from the headers
        """The Content-Type header unless given otherwise (found on first read)."""
        return self.headers.get("content-type")

    data_content_type = lazy("_content_type", _read_content_type)

    def _read_source_ip(self) -> str | None:
        """The client's address, as the provider reports it."""
        return None

    source_ip = lazy("_source_ip", _read_source_ip)

    def _read_root_path(self) -> str:
        """The prefix the platform removed from the URL's path before ``path``: an API
        Gateway stage (``/prod``), the Azure route prefix (``/api``); ``""`` when none.
        ``root_path + path`` is the path the client requested (what a web app's
        ``url_for`` needs, ASGI's ``root_path`` / WSGI's ``SCRIPT_NAME``)."""
        return ""

    root_path = lazy("_root_path", _read_root_path)

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
        if self._payload is UNSET:  # the default: the body is the payload
            return self.body
        return super().payload_bytes_or_text()

    def _read_cookies(self) -> Mapping[str, str]:
        """Request cookies by name (first value wins): those of the ``Cookie`` headers
        (a view may have them elsewhere)."""
        return parse_cookie_header(self.headers.get_all("cookie"))

    cookies = lazy("_cookies", _read_cookies)

    def query_string(self) -> str | None:
        """The query string as the client sent it, when the payload carries it
        (``None``: only the parsed :attr:`query` is known)."""
        return None

    def _sent_scope(self) -> tuple[dict[str, Any], str, str | None] | None:
        """(header map, query string, client address) as the provider's payload holds
        them, for a view that has them there: a map of one value per name, the
        query as sent, the measured address. The web bridges (``sdk._web``) then
        read them without building :attr:`headers`; ``None`` (the default): they
        read the fields above."""
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
        out.update(body_fields(self.body))

    def __repr__(self) -> str:
        return f"<HTTPRequest {self.trigger} {self.method} {self.path}>"
