"""HTTPRequest.root_path: the prefix the platform put before the routes, read from
each payload by the rule its provider documents (not by the adapters' helpers)."""

from __future__ import annotations

from typing import Any

import pytest

import adapters.aws as aws
from adapters.azure._http import HTTP as AzureHTTP
from adapters.testing import aws as events
from adapters.testing import azure
from sdk import HTTPRequest
from tests.support.samples import SAMPLES, load, requires_samples


def request(raw: Any) -> HTTPRequest[Any]:
    (found,) = aws.decode(raw)
    assert isinstance(found, HTTPRequest)
    return found


@requires_samples
def test_rest_api_root_path_is_what_requestcontext_path_has_before_the_resource() -> None:
    raw = load(SAMPLES / "aws/apigw-v1/rest-iam-auth.json")
    assert raw["requestContext"]["path"] == "/prod" + raw["path"]  # as the console sends
    found = request(raw)
    assert (found.root_path, found.path) == ("/prod", raw["path"])


@pytest.mark.parametrize(("context_path", "path", "root"), [
    ("/prod/items/1", "/items/1", "/prod"), ("/prod/", "/", "/prod"),
    ("/items/1", "/items/1", ""),  # a custom domain without base path: no prefix
    (None, "/items/1", ""),
])
def test_rest_api_root_paths(context_path: str | None, path: str, root: str) -> None:
    raw = events.apigw_v1(path=path)
    raw["requestContext"]["path"] = context_path
    assert request(raw).root_path == root


@pytest.mark.parametrize(("stage", "root"), [("$default", ""), ("prod", "/prod")])
def test_http_api_root_path_is_the_named_stage(stage: str, root: str) -> None:
    found = request(events.apigw_v2(path="/items/1", stage=stage))
    assert (found.root_path, found.path) == (root, "/items/1")


def test_alb_and_function_urls_have_none() -> None:
    assert request(events.alb(path="/x")).root_path == ""
    assert request(events.function_url(path="/x")).root_path == ""


@pytest.mark.parametrize(("prefix", "url", "root", "path"), [
    ("api", "https://a.azurewebsites.net/api/items/1", "/api", "/items/1"),
    ("v1/fn", "https://a.azurewebsites.net/v1/fn/items", "/v1/fn", "/items"),
    ("", "https://a.azurewebsites.net/items", "", "/items"),
    ("api", "https://a.azurewebsites.net/apix/items", "", "/apix/items"),  # not the prefix
])
def test_azure_root_path_is_the_route_prefix(monkeypatch: pytest.MonkeyPatch, prefix: str,
                                             url: str, root: str, path: str) -> None:
    monkeypatch.setenv("POLYFN_AZURE_ROUTE_PREFIX", prefix)
    found = AzureHTTP().request(azure.http_request("GET", url))
    assert (found.root_path, found.path) == (root, path)
    fresh = AzureHTTP().request(azure.http_request("GET", url))
    assert fresh.root_path == root  # read before path: the same answer
