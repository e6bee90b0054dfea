"""Rendering handler results; problem+json."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from pydantic import BaseModel

from adapters._http import encode_body
from sdk import Response, ResponseEncodeError
from sdk._response import problem, render
from sdk.adapter import UNSET, Rendered, body_fields


class Item(BaseModel):
    id: int
    name: str


def test_plain_json_value_is_200_json() -> None:
    out = render({"a": Decimal("1.5"), "b": [1]})
    assert out.status == 200
    assert out.content_type == "application/json"
    assert json.loads(out.body) == {"a": 1.5, "b": [1]}


def test_none_is_204() -> None:
    out = render(None)
    assert (out.status, out.body, out.headers) == (204, b"", [])


def test_str_and_bytes_bodies() -> None:
    assert render("héllo").content_type == "text/plain; charset=utf-8"
    assert render("héllo").body == "héllo".encode()
    binary = render(Response(b"\x89PNG", content_type="image/png"))
    assert binary.content_type == "image/png"
    assert not binary.is_text


def test_model_body() -> None:
    out = render(Response(Item(id=1, name="x"), status=201))
    assert out.status == 201
    assert json.loads(out.body) == {"id": 1, "name": "x"}


def test_cookies_and_repeated_headers() -> None:
    out = render(Response("ok", headers=[("X-A", "1"), ("X-A", "2"), ("Set-Cookie", "c=3")],
                          cookies=["a=1; Path=/", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"]))
    assert out.cookies == ["a=1; Path=/", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "c=3"]
    assert out.multi_headers()["X-A"] == ["1", "2"]
    assert out.single_headers()["X-A"] == "1, 2"
    assert all(name.lower() != "set-cookie" for name, _ in out.headers)


def test_explicit_content_type_replaces_header() -> None:
    out = render(Response("x", headers={"content-type": "text/html"}, content_type="text/csv"))
    assert [v for n, v in out.headers if n.lower() == "content-type"] == ["text/csv"]


def test_header_content_type_is_kept() -> None:
    out = render(Response("<p/>", headers={"Content-Type": "text/html"}))
    assert out.content_type == "text/html"


def test_unrenderable_body_is_a_clear_error() -> None:
    with pytest.raises(ResponseEncodeError, match="cannot render a object"):
        render(object())


@pytest.mark.parametrize("status", [99, 600, "200"])
def test_bad_status(status: object) -> None:
    with pytest.raises(ResponseEncodeError):
        render(Response("x", status=status))  # type: ignore[arg-type]


def test_problem_document() -> None:
    out = problem(422, "Unprocessable Content", "bad", errors=[{"loc": ["a"]}])
    assert out.status == 422
    assert out.content_type == "application/problem+json"
    assert json.loads(out.body) == {"type": "about:blank", "title": "Unprocessable Content",
                                    "status": 422, "detail": "bad", "errors": [{"loc": ["a"]}]}


@pytest.mark.parametrize(("body", "text", "fields"), [
    (b"caf\xc3\xa9", UNSET, {"body": "café"}),       # valid UTF-8: text
    (b"\xff\x00", UNSET, {"body_base64": "/wA="}),    # not UTF-8: base64
    (b"", UNSET, {"body": ""}),
    (b"PNG", None, {"body_base64": "UE5H"}),          # the caller says binary (a png)
    (b"{}", "{}", {"body": "{}"}),                    # the caller's text as it is
])
def test_a_body_in_json_is_text_or_base64_by_one_rule(body: bytes, text: str | None,
                                                      fields: dict[str, str]) -> None:
    """``body_fields``: what every JSON document holding a body writes (an event's
    ``to_dict``, the CloudEvents trigger's answer, ``polyfn invoke``'s output, an
    idempotent HTTP handler's stored answer, a provider's base64 flag)."""
    assert body_fields(body, text) == fields
    rendered = Rendered(200, [("Content-Type", "image/png" if text is None else "text/plain")],
                        [], body)
    if text is not UNSET:  # encode_body: the rule with Rendered.text()'s decision
        assert encode_body(rendered) == ((fields["body"], False) if "body" in fields
                                         else (fields["body_base64"], True))
