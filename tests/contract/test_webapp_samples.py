"""Every HTTP sample through real web frameworks bridged with sdk.asgi / sdk.wsgi.

Each framework's echo app (tests/support/webapps.py) answers what it saw; that must
be what polyfn's own decoding of the same payload says (method, route, root path,
every query and header value, body, client). On AWS the FastAPI echo is also
compared with mangum's translation of the same event: every field is equal except
the differences docs/webapps.md lists, each spelled out in ``_mangum_view``.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest

import adapters.aws as aws
import sdk
from adapters.testing import aws as aws_events
from adapters.testing import lambda_context
from sdk import HTTPRequest
from tests.support import webapps
from tests.support.samples import load, params

AWS_HTTP = (params("aws/apigw-v1/*.json") + params("aws/apigw-v2/*.json")
            + params("aws/function-url/*.json") + params("aws/alb/*.json")
            + params("aws/vpc-lattice/*.json"))

FRAMEWORKS = ["fastapi", "starlette", "flask", "django"]
#: How each framework shows a repeated header: Starlette keeps ASGI's pairs apart
#: (None); sdk.wsgi's environ joins with ", " (RFC 9110 5.3); Django's ASGIHandler
#: joins the scope's pairs itself, with ",".
JOINS: dict[str, str | None] = {"fastapi": None, "starlette": None, "flask": ", ",
                                "django": ","}
#: A header name with ``_``: CGI would read ``user_agent`` as ``User-Agent``, so
#: sdk.wsgi drops it, as gunicorn and Django's own ASGIHandler do (None); ASGI keeps
#: the name as sent, and Starlette shows it.
UNDERSCORES: dict[str, str | None] = {"flask": None, "django": None}
#: mangum has no VPC Lattice handler: those samples have no oracle.
MANGUM_UNSUPPORTED = {"vpc-lattice"}

_APPS: dict[str, Any] = {}
#: Some samples name the host ``<url-id>.lambda-url...``: not a host name. Django
#: answers that with its own 400 (DisallowedHost); the others build odd URLs.
HOST_NAME = re.compile(r"[A-Za-z0-9.-]+\Z")


def handler(framework: str) -> Any:
    """The bridged app, built once per session (Django configures itself once)."""
    if framework not in _APPS:
        app = getattr(webapps, f"{framework}_app")()
        _APPS[framework] = sdk.wsgi(app) if framework == "flask" else sdk.asgi(app)
    return _APPS[framework]


def answer(out: dict[str, Any]) -> Any:
    body = out["body"]
    raw = base64.b64decode(body) if out.get("isBase64Encoded") else body.encode()
    return json.loads(raw)


def decoded(raw: dict[str, Any]) -> HTTPRequest[Any] | None:
    """polyfn's request for ``raw``; None when its body cannot be read (bad base64)."""
    (request,) = aws.decode(raw)
    assert isinstance(request, HTTPRequest)
    try:
        request.body  # noqa: B018 - reading it is the check
    except sdk.EventDecodeError:
        return None
    return request


def _expected_headers(request: HTTPRequest[Any], framework: str) -> dict[str, list[str]]:
    join = JOINS[framework]
    out: dict[str, list[str]] = {}
    for name in request.headers:
        values = request.headers.get_all(name)
        if "_" in name and framework in UNDERSCORES:
            if UNDERSCORES[framework] is None:
                continue
            name = name.replace("_", "-")
        out[name] = values if join is None else [join.join(values)]
    if "cookie" not in request.headers and request.cookies:
        # HTTP API 2.0 carries them apart, in ``cookies``: the header as sent.
        out["cookie"] = ["; ".join(raw_cookies)] if (raw_cookies := request.raw.get(
            "cookies")) else []
    return out


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("path", AWS_HTTP)
def test_every_aws_http_sample_reaches_the_app_as_polyfn_decodes_it(
        path: Path, framework: str) -> None:
    raw = load(path)
    out = aws.lambda_handler(handler(framework))(raw, lambda_context())
    request = decoded(raw)
    if request is None:  # a body marked base64 that is not: polyfn's 400, not the app's
        assert out["statusCode"] == 400
        assert json.loads(out["body"])["status"] == 400
        return
    host = request.headers.get("host") or request.source or ""
    if framework == "django" and host and not HOST_NAME.match(host):
        assert out["statusCode"] == 400 and "Bad Request" in out["body"]  # Django's own
        return
    assert out["statusCode"] == 200, out
    seen = answer(out)
    assert seen["method"] == request.method
    assert seen["route"] == request.path
    assert seen["root_path"] == request.root_path
    assert seen["query"] == {k: request.query.get_all(k) for k in request.query}
    assert base64.b64decode(seen["body"]) == request.body
    assert seen["client"] == request.source_ip
    headers = {k: v for k, v in seen["headers"].items() if k not in ("content-length",)}
    expected = {k: v for k, v in _expected_headers(request, framework).items()
                if k != "content-length"}
    assert headers == expected
    scheme = request.headers.get("x-forwarded-proto", "https")
    assert seen["scheme"] == scheme
    if HOST_NAME.match(host):
        # url_for: the URL the client would use, stage or route prefix included.
        assert seen["item_url"].lower() == f"{scheme}://{host}{request.root_path}/items/7".lower()


def _mangum_view(seen: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    """Our echo with the documented differences from mangum undone (docs/webapps.md)."""
    view = dict(seen)
    # 1. root_path: mangum leaves it empty. REST API: its path is the resource path
    # (no stage); HTTP API: the requested path, stage included.
    if raw.get("version") == "2.0":
        view["route"] = seen["root_path"] + seen["route"] if seen["root_path"] else seen["route"]
    view["root_path"] = ""
    # 2. a header sent several times (REST API multiValueHeaders): mangum joins the
    # values into one header (for ALB it keeps them apart, as polyfn does).
    if "elb" not in raw.get("requestContext", {}):
        view["headers"] = {k: [", ".join(v)] for k, v in seen["headers"].items()}
    # 3. server and the URLs built from it: mangum says ("mangum", 80) without a Host
    # header and port 80 for https without X-Forwarded-Port; polyfn uses the
    # platform's domain name and the scheme's port. Compared apart below.
    for key in ("server", "url", "item_url"):
        view.pop(key)
    return view


@pytest.mark.parametrize("path", AWS_HTTP)
def test_aws_samples_match_mangums_translation(path: Path) -> None:
    from mangum import Mangum

    raw = load(path)
    app = webapps.fastapi_app()
    if path.parent.name in MANGUM_UNSUPPORTED:  # no oracle: mangum cannot run these
        with pytest.raises((RuntimeError, KeyError)):
            Mangum(app, lifespan="off")(raw, lambda_context())
        return
    ours = aws.lambda_handler(sdk.asgi(app, lifespan="off"))(raw, lambda_context())
    if decoded(raw) is None:
        assert ours["statusCode"] == 400  # mangum raises binascii.Error instead
        with pytest.raises(ValueError):
            Mangum(app, lifespan="off")(raw, lambda_context())
        return
    theirs = Mangum(app, lifespan="off")(raw, lambda_context())
    assert ours["statusCode"] == theirs["statusCode"] == 200
    mine, other = _mangum_view(answer(ours), raw), answer(theirs)
    server = other.pop("server")
    for key in ("url", "item_url"):
        other.pop(key)
    if not raw.get("rawQueryString") and raw.get("queryStringParameters") \
            and raw.get("version") == "2.0":
        # 4. a 2.0 test event with only the query map: polyfn reads the map, mangum
        # reads the empty rawQueryString.
        assert other["query"] == {}
        other["query"] = mine["query"]
    assert mine == other
    (request,) = aws.decode(raw)
    assert server[0] == (request.headers.get("host") or "mangum")


def test_azure_http_sample_through_each_framework() -> None:
    from adapters.azure import bind
    from adapters.testing import azure
    from tests.support.samples import sample_files

    for path in sample_files("azure/http/*.json"):
        body = path.read_bytes()
        for framework in FRAMEWORKS:
            req = azure.http_request(
                "POST", "https://app.azurewebsites.net/api/hook/x?tag=a&tag=b",
                headers={"Content-Type": "application/json", "Host": "app.azurewebsites.net",
                         "Cookie": "a=1; b=2"}, body=body)
            response = bind(handler(framework), "req", name="web")(req)
            assert response.status_code == 200, framework
            seen = json.loads(response.get_body())
            assert base64.b64decode(seen["body"]) == body
            assert (seen["route"], seen["root_path"]) == ("/hook/x", "/api")
            assert seen["query"] == {"tag": ["a", "b"]}
            assert seen["headers"]["cookie"] == ["a=1; b=2"]
            assert seen["item_url"] == "https://app.azurewebsites.net/api/items/7"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_google_cloud_http_function_through_each_framework(framework: str) -> None:
    from adapters.gcp import http_function
    from adapters.testing import gcp

    request = gcp.http_request("PUT", "/hook/x", b"\x00\xffbinary",
                               headers={"Host": "fn.a.run.app", "X-Forwarded-Proto": "https",
                                        "Content-Type": "application/octet-stream"},
                               query="tag=a&tag=b")
    response = http_function(handler(framework))(request)
    assert response.status_code == 200
    seen = json.loads(response.get_data())
    assert base64.b64decode(seen["body"]) == b"\x00\xffbinary"
    assert (seen["method"], seen["route"], seen["root_path"]) == ("PUT", "/hook/x", "")
    assert seen["query"] == {"tag": ["a", "b"]}
    assert seen["item_url"] == "https://fn.a.run.app/items/7"


def _aws(make: Any, key: str) -> Any:
    """An AWS entry point: (status, Set-Cookie values, body bytes) for a path."""
    def send(app: Any, path: str) -> tuple[int, list[str], bytes]:
        out = aws.lambda_handler(app)(make(path), lambda_context())
        cookies = (out.get("cookies") if key == "cookies"
                   else (out.get("multiValueHeaders") or {}).get("Set-Cookie"))
        body = out["body"]
        raw = base64.b64decode(body) if out["isBase64Encoded"] else body.encode()
        return out["statusCode"], cookies or [], raw
    return send


def _azure(app: Any, path: str) -> tuple[int, list[str], bytes]:
    from adapters.azure import bind
    from adapters.testing import azure

    response = bind(app, "req", name="web")(
        azure.http_request("GET", f"https://app.azurewebsites.net/api{path}"))
    return response.status_code, response.headers.get_all("Set-Cookie"), response.get_body()


def _gcp(app: Any, path: str) -> tuple[int, list[str], bytes]:
    from adapters.gcp import http_function
    from adapters.testing import gcp

    response = http_function(app)(gcp.http_request("GET", path))
    return response.status_code, response.headers.getlist("Set-Cookie"), response.get_data()


#: Every entry point whose response format carries several Set-Cookie headers.
ENTRY_POINTS = {
    "apigw-v1": _aws(lambda p: aws_events.apigw_v1("GET", p), "multi"),
    "apigw-v2": _aws(lambda p: aws_events.apigw_v2("GET", p, stage="prod"), "cookies"),
    "function-url": _aws(lambda p: aws_events.function_url("GET", p), "cookies"),
    "alb-multi-value": _aws(lambda p: aws_events.alb("GET", p, multi_value=True), "multi"),
    "azure": _azure,
    "gcp": _gcp,
}


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_several_set_cookie_and_binary_bodies_on_every_entry_point(entry: str,
                                                                   framework: str) -> None:
    send = ENTRY_POINTS[entry]
    status, cookies, _ = send(handler(framework), "/cookies")
    assert status == 200
    assert [c.split(";")[0] for c in cookies] == [c.split(";")[0] for c in webapps.COOKIES]
    status, _, body = send(handler(framework), "/binary")
    assert (status, body) == (200, webapps.PNG)


@pytest.mark.parametrize("make", [lambda p: aws_events.alb("GET", p),
                                  lambda p: aws_events.vpc_lattice("GET", p)],
                         ids=["alb-single-value", "vpc-lattice"])
def test_formats_with_one_value_per_header_refuse_several_cookies(make: Any) -> None:
    """ALB without multi-value headers and VPC Lattice cannot carry two Set-Cookie:
    a 500 naming the fix (logged), never cookies silently joined or dropped."""
    send = _aws(make, "multi")
    status, _, body = send(handler("fastapi"), "/cookies")
    assert status == 500 and b"could not be encoded" in body
    assert send(handler("fastapi"), "/binary")[::2] == (200, webapps.PNG)


def _headers(raw: dict[str, Any]) -> dict[str, Any]:
    headers = raw["headers"] = raw.get("headers") or {}
    return headers


#: What a client may send that the payload's own header map carries differently:
#: each variant of each AWS HTTP sample must reach the app the same either way.
_VARIANTS: dict[str, Any] = {
    "as sent": lambda raw: None,
    "names in capitals": lambda raw: raw.update(
        headers={k.title(): v for k, v in (raw.get("headers") or {}).items()}),
    "a non-ASCII value": lambda raw: _headers(raw).update({"x-name": "Zoë"}),
    "a line break in a value": lambda raw: _headers(raw).update(
        {"x-nl": "a\nb"}),
    "a number value": lambda raw: _headers(raw).update({"x-n": 5}),
    "no headers": lambda raw: raw.pop("headers", None),
    "a cookie header": lambda raw: _headers(raw).update({"cookie": "a=1"}),
    "cookies apart": lambda raw: raw.update(cookies=["x=1", "y=2"]),
    "no query string": lambda raw: raw.pop("rawQueryString", None),
}


@pytest.mark.parametrize("variant", list(_VARIANTS))
@pytest.mark.parametrize("path", AWS_HTTP)
def test_the_scope_read_from_the_payload_is_the_scope_read_from_the_request(
        path: Path, variant: str) -> None:
    """HTTP API and function URL views give the ASGI bridge their payload's header
    map, query and address (``HTTPRequest._sent_scope``): the scope must be the
    one built from the request's fields, for every sample and variant."""
    from sdk._asgi import http_scope
    from sdk._web import sent_fields

    raw = load(path)
    _VARIANTS[variant](raw)

    def scope(sent: bool) -> Any:
        (request,) = aws.decode(json.loads(json.dumps(raw)))
        try:
            return http_scope(request, None, sent=sent)
        except sdk.EventDecodeError as exc:  # a number header value: the same 400 either way
            return str(exc)

    assert scope(True) == scope(False)
    if (variant == "as sent" and path.parent.name in ("apigw-v2", "function-url")
            and all(k.islower() for k in raw.get("headers") or {"X": ""})
            and (raw.get("rawQueryString") or not raw.get("queryStringParameters"))):
        # (a hand-written event with only the query map: the request's way rebuilds it)
        (request,) = aws.decode(raw)
        assert sent_fields(request) is not None  # the payload's way was taken
