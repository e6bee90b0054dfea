"""sdk.wsgi: the PEP 3333 environ, start_response, write and close, with Flask and
small raw WSGI apps where a protocol detail is the point."""

from __future__ import annotations

import base64
import json
import sys
from typing import Any

import pytest

import adapters.aws as aws
import sdk
from adapters.testing import aws as aws_events
from adapters.testing import lambda_context
from sdk import Headers, HTTPRequest, Query
from sdk._wsgi import environ
from tests.support import webapps


def call(handler: Any, method: str = "GET", path: str = "/", **options: Any) -> dict[str, Any]:
    event = aws_events.apigw_v1(method=method, path=path, **options)
    return aws.lambda_handler(handler)(event, lambda_context())  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def flask() -> Any:
    return sdk.wsgi(webapps.flask_app(echo_all=False))


def test_environ_has_every_pep_3333_key() -> None:
    request = HTTPRequest(
        method="POST", path="/façade", root_path="/api", source_ip="198.51.100.4",
        headers=Headers(multi={"Host": ["fn.example:8443"], "Accept": ["a/b", "c/d"],
                               "Cookie": ["a=1", "b=2"], "Content-Type": ["text/plain"],
                               "X_Forged": ["1"]}),
        query=Query(pairs=[("q", "1"), ("q", "2")]), provider="azure", trigger="azure.http")
    env = environ(request, b"hello")
    assert env["REQUEST_METHOD"] == "POST"
    assert env["SCRIPT_NAME"] == "/api"
    assert env["PATH_INFO"] == "/façade".encode().decode("latin-1")  # a native string
    assert env["QUERY_STRING"] == "q=1&q=2"
    assert (env["CONTENT_TYPE"], env["CONTENT_LENGTH"]) == ("text/plain", "5")
    assert (env["SERVER_NAME"], env["SERVER_PORT"]) == ("fn.example", "8443")
    assert env["SERVER_PROTOCOL"] == "HTTP/1.1" and env["REMOTE_ADDR"] == "198.51.100.4"
    assert env["HTTP_ACCEPT"] == "a/b, c/d" and env["HTTP_COOKIE"] == "a=1; b=2"
    assert "HTTP_X_FORGED" not in env  # an underscore name could pass for X-Forged
    assert env["wsgi.input"].read() == b"hello" and env["wsgi.errors"] is sys.stderr
    assert env["wsgi.version"] == (1, 0) and env["wsgi.url_scheme"] == "https"
    assert (env["wsgi.multithread"], env["wsgi.multiprocess"], env["wsgi.run_once"]) == (
        True, True, False)


def test_flask_routes_under_the_stage_and_url_for(flask: Any) -> None:
    event = aws_events.apigw_v1(path="/items/4", stage="prod")
    event["requestContext"]["path"] = "/prod/items/4"
    out = aws.lambda_handler(flask)(event, lambda_context())
    host = event["headers"]["Host"] if "Host" in event["headers"] else event["headers"]["host"]
    assert json.loads(out["body"]) == {"item_id": 4, "url": f"https://{host}/prod/items/4"}


def test_flask_cookies_binary_stream_404_and_405(flask: Any) -> None:
    cookies = call(flask, path="/cookies")
    assert cookies["multiValueHeaders"]["Set-Cookie"] == webapps.COOKIES
    binary = call(flask, path="/binary")
    assert binary["isBase64Encoded"] and base64.b64decode(binary["body"]) == webapps.PNG
    assert call(flask, path="/stream")["body"] == "".join(f"chunk{i};" for i in range(5))
    assert call(flask, "POST", "/items/1")["statusCode"] == 405
    assert call(flask, path="/nowhere")["statusCode"] == 404


def test_an_exception_that_reaches_the_bridge_is_polyfns_500(
        capsys: pytest.CaptureFixture[str]) -> None:
    app = webapps.flask_app()
    # Flask answers its own HTML 500 unless told to let exceptions through.
    assert call(sdk.wsgi(app), path="/boom")["headers"]["Content-Type"].startswith("text/html")
    app.config["PROPAGATE_EXCEPTIONS"] = True
    boom = call(sdk.wsgi(app), path="/boom")
    assert boom["statusCode"] == 500 and "secret detail" not in boom["body"]
    assert boom["headers"]["Content-Type"] == "application/problem+json"
    assert "secret detail" in capsys.readouterr().out


def test_flask_multipart_upload(flask: Any) -> None:
    boundary = "b0undary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="who"\r\n\r\nAda\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="doc"; filename="d.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode() + b"\x00\xff" * 10 + (
            f"\r\n--{boundary}--\r\n").encode()
    out = call(flask, "POST", "/form", body=body,
               headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    fields = json.loads(out["body"])["fields"]
    assert fields["who"] == ["Ada"] and fields["doc"][0]["size"] == 20


def test_start_response_with_exc_info_replaces_the_status_until_a_body_exists() -> None:
    def app(env: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        try:
            raise KeyError("late")
        except KeyError:
            start_response("503 Service Unavailable", [("Retry-After", "5")], sys.exc_info())
        return [b"later"]

    out = call(sdk.wsgi(app))
    assert (out["statusCode"], out["headers"].get("Retry-After"), out["body"]) == (
        503, "5", "later")


def test_exc_info_after_the_body_started_re_raises_to_polyfns_500() -> None:
    def app(env: dict[str, Any], start_response: Any) -> Any:
        write = start_response("200 OK", [])
        write(b"partial")
        try:
            raise ValueError("mid-body")
        except ValueError:
            start_response("500 Oops", [], sys.exc_info())
        return []

    out = call(sdk.wsgi(app))
    assert out["statusCode"] == 500 and "partial" not in out["body"]


def test_write_callable_iterable_and_close_are_honoured() -> None:
    closed: list[bool] = []

    class Body:
        def __iter__(self) -> Any:
            yield b"b"
            yield b""
            yield b"c"

        def close(self) -> None:
            closed.append(True)

    def app(env: dict[str, Any], start_response: Any) -> Body:
        start_response("201 Created", [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")])(b"a")
        return Body()

    out = call(sdk.wsgi(app))
    assert (out["statusCode"], out["body"], closed) == (201, "abc", [True])
    assert out["multiValueHeaders"]["Set-Cookie"] == ["a=1", "b=2"]


def test_close_is_called_when_the_iterable_fails() -> None:
    closed: list[bool] = []

    class Body:
        def __iter__(self) -> Any:
            raise RuntimeError("broken")
            yield b""

        def close(self) -> None:
            closed.append(True)

    def app(env: dict[str, Any], start_response: Any) -> Body:
        start_response("200 OK", [])
        return Body()

    assert call(sdk.wsgi(app))["statusCode"] == 500 and closed == [True]


def test_start_response_twice_without_exc_info_is_an_error() -> None:
    def app(env: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [])
        start_response("200 OK", [])
        return []

    assert call(sdk.wsgi(app))["statusCode"] == 500


def test_not_an_app_is_a_configuration_error() -> None:
    with pytest.raises(sdk.ConfigurationError):
        sdk.wsgi("app")
