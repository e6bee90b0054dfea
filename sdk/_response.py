"""HTTP responses: what handlers return, and its one rendering for every provider."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._jsonform import dumps
from .errors import ResponseEncodeError

__all__ = ["Rendered", "Response", "problem", "render", "textual"]

_JSON = "application/json"
_PROBLEM = "application/problem+json"
_TEXT = "text/plain; charset=utf-8"
_BINARY = "application/octet-stream"

class Response:
    """What an HTTP handler returns.

    ``body`` may be ``str``, ``bytes``, a pydantic model or any JSON-able value;
    ``headers`` a mapping or a sequence of pairs (a name may repeat); ``cookies`` a
    sequence of ``Set-Cookie`` values.
    """

    __slots__ = ("body", "content_type", "cookies", "headers", "status")

    def __init__(
        self,
        body: Any = None,
        *,
        status: int = 200,
        headers: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
        cookies: Sequence[str] = (),
        content_type: str | None = None,
    ) -> None:
        self.body = body
        self.status = status
        self.headers = headers
        self.cookies = cookies
        self.content_type = content_type

    def __repr__(self) -> str:
        return f"Response(status={self.status})"


def textual(content_type: str | None) -> bool:
    """Whether a body of this Content-Type (None: not sent) can travel as text, when
    it is UTF-8 (:meth:`Rendered.text`)."""
    ctype = (content_type or "").lower()
    return (ctype.startswith("text/") or "json" in ctype or "xml" in ctype
            or "javascript" in ctype or "x-www-form-urlencoded" in ctype or not ctype)


class Rendered:
    """A response ready for an adapter: status, headers, Set-Cookie values, bytes.

    A JSON body rendered here also keeps its text, so a provider whose response
    carries text (API Gateway, ALB...) does not decode the bytes it was encoded to.
    """

    __slots__ = ("_body", "_text", "cookies", "headers", "status")

    def __init__(
        self, status: int, headers: list[tuple[str, str]], cookies: list[str],
        body: bytes | None, text: str | None = None,
    ) -> None:
        self.status = status
        self.headers = headers  # never holds Set-Cookie: that is in ``cookies``
        self.cookies = cookies
        self._body = body  # None: ``text`` encoded on first read
        self._text = text  # given only with a content type that travels as text

    @property
    def body(self) -> bytes:
        body = self._body
        if body is None:
            body = self._body = (self._text or "").encode("utf-8")
        return body

    @property
    def content_type(self) -> str | None:
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value
        return None

    @property
    def is_text(self) -> bool:
        """True when the body can travel as text (a provider may base64 the rest)."""
        return self.text() is not None

    def text(self) -> str | None:
        """The body as text when it can travel as text (see :attr:`is_text`), else None."""
        if self._text is not None:
            return self._text
        if not textual(self.content_type):
            return None
        try:
            text = self._text = self.body.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return text

    def single_headers(self) -> dict[str, str]:
        """Headers as one value per name (repeats comma-joined, RFC 9110 5.3)."""
        headers = self.headers
        if len(headers) == 1:  # a JSON answer's Content-Type, most often
            name, value = headers[0]
            return {name: value}
        out: dict[str, str] = {}
        for name, value in headers:
            out[name] = f"{out[name]}, {value}" if name in out else value
        return out

    def multi_headers(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, value in self.headers:
            out.setdefault(name, []).append(value)
        return out

    def header_pairs(self) -> list[tuple[str, str]]:
        """Every header line to send, one pair per value, ``Set-Cookie`` values
        last: for servers and frameworks that take repeated names (WSGI, ASGI,
        werkzeug)."""
        return [*self.headers, *(("Set-Cookie", cookie) for cookie in self.cookies)]

    def header_map(self) -> dict[str, str | list[str]]:
        """:meth:`header_pairs` by name: a name sent more than once maps to the list
        of its values (the JSON form of an answer)."""
        out: dict[str, str | list[str]] = {}
        for name, value in self.header_pairs():
            current = out.get(name)
            if current is None:
                out[name] = value
            elif isinstance(current, list):
                current.append(value)
            else:
                out[name] = [current, value]
        return out


def _body(body: Any, trigger: str) -> tuple[bytes, str | None]:
    if body.__class__ is not dict and body.__class__ is not list:  # those go straight to JSON
        if body is None:
            return b"", None
        if isinstance(body, bytes):
            return body, _BINARY
        if isinstance(body, str):
            return body.encode("utf-8"), _TEXT
        if isinstance(body, (bytearray, memoryview)):
            return bytes(body), _BINARY
        dump_json = getattr(body, "model_dump_json", None)
        if callable(dump_json):
            return dump_json().encode("utf-8"), _JSON
    return _json_text(body, trigger).encode("utf-8"), _JSON


def _json_text(body: Any, trigger: str) -> str:
    try:
        return dumps(body)
    except (TypeError, ValueError) as exc:
        raise _not_json(body, trigger, exc) from None


def _not_json(body: Any, trigger: str, exc: Exception) -> ResponseEncodeError:
    return ResponseEncodeError(trigger, f"cannot render a {type(body).__name__} "
                               f"as a response body: {exc}")


def _header_pairs(headers: Mapping[str, str] | Iterable[tuple[str, str]] | None
                  ) -> list[tuple[str, str]]:
    if not headers:
        return []
    items = headers.items() if isinstance(headers, Mapping) else headers
    return [(str(k), str(v)) for k, v in items]


def render(result: Any, trigger: str = "http") -> Rendered:
    """Render a handler's result: a :class:`Response` or a plain value.

    A plain ``None`` is ``204 No Content``; any other plain value is the body of a
    ``200`` (JSON-able values as ``application/json``).
    """
    cls = result.__class__
    if cls is Response:
        body = result.body
        if ((body.__class__ is dict or body.__class__ is list) and not result.headers
                and not result.cookies and result.content_type is None
                and result.status.__class__ is int and 100 <= result.status <= 599):
            # The common JSON answer, its text kept for providers that send text
            # (``_json_text``, inlined: this runs for most HTTP responses).
            try:
                text = dumps(body)
            except (TypeError, ValueError) as exc:
                raise _not_json(body, trigger, exc) from None
            return Rendered(result.status, [("Content-Type", _JSON)], [], None, text)
    elif cls is dict or cls is list:
        return Rendered(200, [("Content-Type", _JSON)], [], None, _json_text(result, trigger))
    if isinstance(result, Rendered):
        return result
    if isinstance(result, Response):
        body, ctype = _body(result.body, trigger)
        status = result.status
        if not isinstance(status, int) or not 100 <= status <= 599:
            raise ResponseEncodeError(trigger, "status must be an int from 100 to 599")
        pairs = _header_pairs(result.headers)
        cookies = list(result.cookies)
        explicit = result.content_type
    elif result is None:
        return Rendered(204, [], [], b"")
    else:
        body, ctype = _body(result, trigger)
        status, pairs, cookies, explicit = 200, [], [], None
    headers: list[tuple[str, str]] = []
    has_ctype = False
    for name, value in pairs:
        lname = name.lower()
        if lname == "set-cookie":
            cookies.append(value)
            continue
        if lname == "content-type":
            has_ctype = True
        headers.append((name, value))
    if explicit is not None:
        headers = [(n, v) for n, v in headers if n.lower() != "content-type"]
        headers.append(("Content-Type", explicit))
    elif not has_ctype and ctype is not None:
        headers.append(("Content-Type", ctype))
    return Rendered(status, headers, cookies, body)


def problem(status: int, title: str, detail: str | None = None, **members: Any) -> Rendered:
    """An RFC 9457 problem details response (``application/problem+json``)."""
    doc: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        doc["detail"] = detail
    doc.update(members)
    # backslashreplace: a lone surrogate quoted from a request ("\ud800" in an event
    # id) stays the JSON escape it arrived as, not an UnicodeEncodeError.
    body = dumps(doc).encode("utf-8", "backslashreplace")
    return Rendered(status, [("Content-Type", _PROBLEM)], [], body)
