"""The quickstart's three entry points answer the same requests the same way, each in
its own cloud's response shape; its deploy files agree with the code."""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import sdk
from examples import _stage
from tests.support.samples import PROJECT_ROOT

QUICKSTART = PROJECT_ROOT / "examples" / "quickstart"
JSON = {"Content-Type": "application/json"}


@dataclass
class Answer:
    status: int
    content_type: str
    set_cookies: list[str]
    body: Any  # parsed JSON


class FakeLambdaContext:
    aws_request_id = "req-1"
    function_name = "quickstart"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:quickstart"
    memory_limit_in_mb = "256"

    def get_remaining_time_in_millis(self) -> int:
        return 3000


def via_aws(method: str, query: str, headers: dict[str, str], body: bytes) -> Answer:
    from examples.quickstart.aws import handler

    cookie = headers.pop("Cookie", None)
    event = {
        "version": "2.0", "routeKey": "ANY /hello", "rawPath": "/hello",
        "rawQueryString": query, "headers": {k.lower(): v for k, v in headers.items()},
        "requestContext": {"http": {"method": method, "path": "/hello", "sourceIp": "1.2.3.4"},
                           "requestId": "r-1", "stage": "$default"},
        "body": body.decode(), "isBase64Encoded": False,
    }
    if cookie:
        event["cookies"] = cookie.split("; ")
    response = handler(event, FakeLambdaContext())
    # HTTP API payload 2.0: cookies go in their own list, never in "headers".
    assert not any(name.lower() == "set-cookie" for name in response["headers"])
    assert response["isBase64Encoded"] is False
    return Answer(response["statusCode"], response["headers"]["Content-Type"],
                  response.get("cookies", []), json.loads(response["body"]))


def via_gcp(method: str, query: str, headers: dict[str, str], body: bytes) -> Answer:
    import flask
    from werkzeug import Response

    from examples.quickstart.main import http

    app = flask.Flask(__name__)
    with app.test_request_context("/hello", method=method, query_string=query,
                                  headers=headers, data=body):
        response = http(flask.request)
    assert isinstance(response, Response)
    return Answer(response.status_code, response.headers["Content-Type"],
                  response.headers.getlist("Set-Cookie"), json.loads(response.get_data()))


@functools.cache
def azure_functions() -> list[Any]:
    """What the worker indexes from ``app`` (once: the library refuses a second time)."""
    from examples.quickstart.function_app import app

    return app.get_functions()


def via_azure(method: str, query: str, headers: dict[str, str], body: bytes) -> Answer:
    from tests.support.azure_inputs import http_request

    (function,) = azure_functions()
    request = http_request(method, f"https://quickstart.azurewebsites.net/api/hello?{query}",
                           headers=headers, body=body)
    response = function.get_user_function()(request)
    return Answer(response.status_code, response.headers["Content-Type"],
                  response.headers.getlist("Set-Cookie"), json.loads(response.get_body()))


Call = Callable[[str, str, dict[str, str], bytes], Answer]
PROVIDERS = [pytest.param(via_aws, id="aws"), pytest.param(via_gcp, id="gcp"),
             pytest.param(via_azure, id="azure")]
PROVIDER_NAMES = {"via_aws": "aws", "via_gcp": "gcp", "via_azure": "azure"}


@pytest.mark.parametrize("call", PROVIDERS)
def test_get_greets_by_query_and_counts_visits(call: Call) -> None:
    answer = call("GET", "name=Ada", {"Cookie": "visits=2"}, b"")
    assert answer.status == 200
    assert answer.content_type == "application/json"
    assert answer.body == {"message": "Hello, Ada!", "visits": 3,
                           "provider": PROVIDER_NAMES[call.__name__]}
    assert answer.set_cookies == ["visits=3; Path=/; Max-Age=86400; HttpOnly"]


@pytest.mark.parametrize("call", PROVIDERS)
def test_get_without_name_greets_the_world(call: Call) -> None:
    answer = call("GET", "", {}, b"")
    assert answer.body["message"] == "Hello, world!"
    assert answer.set_cookies == ["visits=1; Path=/; Max-Age=86400; HttpOnly"]


@pytest.mark.parametrize("call", PROVIDERS)
def test_post_greets_by_json_body(call: Call) -> None:
    answer = call("POST", "", dict(JSON), b'{"name": "Grace"}')
    assert answer.status == 200
    assert answer.body["message"] == "Hello, Grace!"


@pytest.mark.parametrize("call", PROVIDERS)
def test_post_with_invalid_json_is_a_400_problem(call: Call) -> None:
    answer = call("POST", "", dict(JSON), b'{"name": ')
    assert answer.status == 400
    assert answer.content_type == "application/problem+json"
    assert answer.body["title"] == "Bad Request"
    assert answer.set_cookies == []


@pytest.mark.parametrize("call", PROVIDERS)
@pytest.mark.parametrize("body", [b'{"name": ""}', b"{}", b'{"name": ["Sekret"]}',
                                  b'{"name": "Sekret' + b"x" * 40 + b'"}'])
def test_post_that_misfits_the_model_is_a_422_problem(call: Call, body: bytes) -> None:
    answer = call("POST", "", dict(JSON), body)
    assert answer.status == 422
    assert answer.content_type == "application/problem+json"
    assert [e["loc"] for e in answer.body["errors"]] == [["name"]]
    assert "Sekret" not in json.dumps(answer.body)  # problems never echo the input


# -- the entry points are what each platform looks for ------------------------------

def test_gcp_target_is_registered_as_an_http_function() -> None:
    from functions_framework import _function_registry as registry

    import examples.quickstart.main as main

    # functions-framework looks the target's signature type up by its __name__.
    assert registry.REGISTRY_MAP.get("http") == "http"
    assert registry.get_user_function(str(QUICKSTART / "main.py"), main, "http") is main.http


def test_azure_app_indexes_one_anonymous_http_route() -> None:
    (function,) = azure_functions()
    trigger = json.loads(function.get_function_json())["bindings"][0]
    assert function.get_function_name() == "hello"
    assert trigger["type"] == "httpTrigger" and trigger["name"] == "req"
    assert trigger["route"] == "hello" and trigger["authLevel"] == "ANONYMOUS"
    assert sorted(trigger["methods"]) == ["GET", "POST"]


def test_sam_template_names_the_lambda_entry_point() -> None:
    template = (QUICKSTART / "template.yaml").read_text()
    (handler,) = re.findall(r"^\s+Handler: (\S+)$", template, re.M)
    module, _, attr = handler.rpartition(".")
    assert callable(getattr(__import__(module, fromlist=[attr]), attr))
    assert "Runtime: python3.12" in template


def test_sam_template_passes_cfn_lint() -> None:
    pytest.importorskip("cfnlint")
    lint = "import sys; from cfnlint.runner import main; sys.exit(main())"
    result = subprocess.run([sys.executable, "-c", lint, str(QUICKSTART / "template.yaml")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("cloud, extra", [("aws", "pydantic"), ("gcp", "gcp"),
                                          ("azure", "azure")])
def test_requirements_pin_this_version_of_polyfn(cloud: str, extra: str) -> None:
    lines = [line for line in (QUICKSTART / f"requirements-{cloud}.txt").read_text().splitlines()
             if line and not line.startswith("#")]
    assert lines == ["--find-links wheels", f"polyfn[{extra}]=={sdk.__version__}"]


@pytest.mark.parametrize("cloud, entry", [("aws", "examples/quickstart/aws.py"),
                                          ("gcp", "main.py"), ("azure", "function_app.py")])
def test_stage_lays_out_a_deploy_folder(cloud: str, entry: str, tmp_path: Path) -> None:
    out = _stage.stage(QUICKSTART, cloud, tmp_path / cloud, wheel=False)
    assert (out / entry).is_file()
    assert (out / "examples" / "quickstart" / "handler.py").is_file()
    assert (out / "requirements.txt").read_text() == (
        QUICKSTART / f"requirements-{cloud}.txt").read_text()
    assert (out / "host.json").exists() == (cloud == "azure")
    assert _stage.stage(QUICKSTART, cloud, out, wheel=False) == out  # a staged folder may be redone


def test_stage_refuses_to_empty_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(SystemExit):
        _stage.stage(QUICKSTART, "gcp", tmp_path, wheel=False)
    assert (tmp_path / "precious.txt").read_text() == "keep me"
