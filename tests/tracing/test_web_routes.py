"""``http.route`` for web apps through the bridges: the framework's matched route
(Starlette, FastAPI through ``sdk.asgi``) on every cloud; none where the
framework keeps it to itself (``sdk.wsgi``) and the platform knows none (Google
Cloud), the platform's template otherwise."""

from __future__ import annotations

from typing import Any

import flask
import pytest
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

import adapters.gcp as gcp
import sdk
from adapters.aws import lambda_handler
from adapters.testing import aws
from adapters.testing import gcp as gcp_samples

api = FastAPI()


@api.get("/items/{item_id}")
def read_item(item_id: int) -> dict[str, int]:
    return {"id": item_id}


def _text(request: Any) -> PlainTextResponse:
    return PlainTextResponse("ok")


inner = Starlette(routes=[Route("/users/{name}", _text)])
mounted = Starlette(routes=[Mount("/admin", app=inner),
                            Mount("/static", app=PlainTextResponse("file"))])

web = flask.Flask(__name__)


@web.get("/items/<int:item_id>")
def flask_item(item_id: int) -> str:
    return str(item_id)


def _gcp(handler: Any, path: str) -> int:
    status: int = gcp.http_function(handler)(gcp_samples.http_request("GET", path)).status_code
    return status


def test_fastapi_route_on_google_cloud(spans: Any) -> None:
    assert _gcp(sdk.asgi(api, lifespan="off"), "/items/7") == 200
    (span,) = spans.all
    assert span.attributes["http.route"] == "/items/{item_id}"
    assert span.name == "GET /items/{item_id}"


def test_fastapi_route_replaces_api_gateways_proxy_resource(spans: Any) -> None:
    handler = lambda_handler(sdk.asgi(api, lifespan="off"))
    answer = handler(aws.apigw_v2("GET", "/items/7", route_key="ANY /{proxy+}"), None)
    assert answer["statusCode"] == 200
    (span,) = spans.all
    assert span.attributes["http.route"] == "/items/{item_id}"


@pytest.mark.parametrize(("path", "route"), [
    ("/admin/users/ann", "/admin/users/{name}"),  # a mounted router: its path included
    ("/static/app.css", None),                     # a mounted app that is no router
    ("/nowhere", None),                            # no route matched (404)
])
def test_starlette_mounts(spans: Any, path: str, route: str | None) -> None:
    _gcp(sdk.asgi(mounted, lifespan="off"), path)
    (span,) = spans.all
    assert span.attributes.get("http.route") == route


def test_wsgi_apps_say_no_route_on_google_cloud(spans: Any) -> None:
    assert _gcp(sdk.wsgi(web), "/items/7") == 200
    (span,) = spans.all
    assert "http.route" not in span.attributes
    assert span.name == "GET"


def test_untraced_asgi_app_is_unchanged() -> None:
    assert _gcp(sdk.asgi(api, lifespan="off"), "/items/7") == 200
