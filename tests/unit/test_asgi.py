"""sdk.asgi: the scope, the exchange, lifespan and errors, with real apps (FastAPI,
Starlette) and small raw ASGI apps where a protocol detail is the point."""

from __future__ import annotations

import base64
import json
import threading
from typing import Any

import pytest

import adapters.aws as aws
import sdk
from adapters.testing import aws as aws_events
from adapters.testing import lambda_context
from sdk import HTTPRequest, Query
from sdk._asgi import http_scope
from sdk.adapter import Rendered
from tests.support import webapps


def call(handler: Any, method: str = "GET", path: str = "/", *, query: str = "",
         body: bytes | str | None = None, headers: dict[str, str] | None = None,
         cookies: list[str] | None = None, stage: str = "$default") -> dict[str, Any]:
    """An HTTP API 2.0 request through lambda_handler."""
    event = aws_events.apigw_v2(method=method, path=path, body=body, headers=headers,
                                query=query or None, cookies=cookies, stage=stage)
    return aws.lambda_handler(handler)(event, lambda_context())  # type: ignore[no-any-return]


def text(out: dict[str, Any]) -> bytes:
    body = out["body"]
    return base64.b64decode(body) if out["isBase64Encoded"] else body.encode()


@pytest.fixture(scope="module")
def fastapi() -> Any:
    return sdk.asgi(webapps.fastapi_app())


def test_scope_is_asgi_3_http_with_every_key() -> None:
    request = HTTPRequest(method="post", path="/a b/ü", root_path="/prod",
                          headers=sdk.Headers(multi={"X-Tag": ["1", "2"], "Host": ["h.example"],
                                                     "X-Forwarded-Proto": ["https"]}),
                          query=Query(pairs=[("q", "1"), ("q", "2"), ("s", "x y")]),
                          source_ip="203.0.113.9", provider="aws", trigger="aws.apigw.v1")
    scope = http_scope(request, {"pool": 1})
    assert scope["type"] == "http" and scope["asgi"] == {"version": "3.0", "spec_version": "2.4"}
    assert (scope["http_version"], scope["method"], scope["scheme"]) == ("1.1", "POST", "https")
    assert scope["path"] == "/prod/a b/ü" and scope["root_path"] == "/prod"
    assert scope["raw_path"] == b"/prod/a%20b/%C3%BC"
    assert scope["query_string"] == b"q=1&q=2&s=x+y"
    assert (b"x-tag", b"1") in scope["headers"] and (b"x-tag", b"2") in scope["headers"]
    assert all(name == name.lower() for name, _ in scope["headers"])
    assert scope["client"] == ("203.0.113.9", 0)
    assert scope["server"] == ("h.example", 443)
    assert scope["state"] == {"pool": 1}


@pytest.mark.parametrize(("host", "forwarded", "server"), [
    ("h.example:8443", None, ("h.example", 8443)), ("h.example", "8080", ("h.example", 8080)),
    ("[::1]:9000", None, ("[::1]", 9000)), ("h.example", None, ("h.example", 443)),
])
def test_server_from_host_and_forwarded_port(host: str, forwarded: str | None,
                                             server: tuple[str, int]) -> None:
    headers = {"host": host} | ({"x-forwarded-port": forwarded} if forwarded else {})
    request = HTTPRequest(method="GET", path="/", headers=sdk.Headers(headers),
                          provider="aws", trigger="aws.alb")
    assert http_scope(request, None)["server"] == server


def test_local_requests_are_plain_http() -> None:
    request = HTTPRequest(method="GET", path="/", provider="local", trigger="local.http")
    assert http_scope(request, None)["scheme"] == "http"


def test_root_path_and_url_for_under_a_stage(fastapi: Any) -> None:
    out = call(fastapi, path="/items/5", stage="prod")
    host = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"
    assert json.loads(out["body"]) == {"item_id": 5, "url": f"https://{host}/prod/items/5"}


def test_query_arrays_cookies_in_and_path_params(fastapi: Any) -> None:
    out = call(fastapi, path="/anything/here", query="tag=a&tag=b&empty=",
               cookies=["session=abc", "theme=dark"])
    seen = json.loads(out["body"])
    assert seen["query"] == {"tag": ["a", "b"], "empty": [""]}
    assert seen["headers"]["cookie"] == ["session=abc; theme=dark"]
    assert seen["route"] == "/anything/here"


def test_several_set_cookie_headers_come_back_apart(fastapi: Any) -> None:
    out = call(fastapi, path="/cookies")
    assert out["cookies"] == webapps.COOKIES
    assert "set-cookie" not in {k.lower() for k in out["headers"]}


def test_binary_download_is_base64(fastapi: Any) -> None:
    out = call(fastapi, path="/binary")
    assert out["isBase64Encoded"] is True and text(out) == webapps.PNG
    assert out["headers"]["content-type"] == "image/png"


def test_streaming_response_is_collected(fastapi: Any) -> None:
    assert text(call(fastapi, path="/stream")) == b"".join(
        f"chunk{i};".encode() for i in range(5))


def test_background_tasks_finish_before_the_invocation_returns(fastapi: Any) -> None:
    webapps.BACKGROUND.clear()
    assert call(fastapi, path="/background")["statusCode"] == 200
    assert webapps.BACKGROUND == ["done"]


def test_multipart_form_with_files(fastapi: Any) -> None:
    boundary = "polyfnboundary"
    upload = bytes(range(256))
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nAda\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nGrace\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n",
    ]
    body = "".join(parts).encode() + upload + f"\r\n--{boundary}--\r\n".encode()
    event = aws_events.apigw_v2(method="POST", path="/form", body=body,
                                headers={"content-type": f"multipart/form-data; "
                                                         f"boundary={boundary}"})
    assert event["isBase64Encoded"] is True
    out = aws.lambda_handler(fastapi)(event, lambda_context())
    assert out["statusCode"] == 200, out
    fields = json.loads(out["body"])["fields"]
    assert fields["name"] == ["Ada", "Grace"]
    assert fields["file"] == [{"filename": "a.bin", "size": 256,
                               "sha": base64.b64encode(upload[:8]).decode()}]


def test_urlencoded_form(fastapi: Any) -> None:
    out = call(fastapi, "POST", "/form", body="a=1&a=2&b=x+y",
               headers={"content-type": "application/x-www-form-urlencoded"})
    assert json.loads(out["body"])["fields"] == {"a": ["1", "2"], "b": ["x y"]}


def test_the_framework_answers_404_405_and_422_itself() -> None:
    app = sdk.asgi(webapps.fastapi_app(echo_all=False))
    assert call(app, "POST", "/items/3")["statusCode"] == 405
    missing = call(app, "GET", "/nowhere")
    assert missing["statusCode"] == 404 and json.loads(missing["body"]) == {"detail": "Not Found"}
    assert call(app, "GET", "/items/not-a-number")["statusCode"] == 422


def test_an_app_exception_is_polyfns_500_with_the_traceback_logged_only(
        fastapi: Any, capsys: pytest.CaptureFixture[str]) -> None:
    out = call(fastapi, path="/boom")
    assert out["statusCode"] == 500
    assert out["headers"]["Content-Type"] == "application/problem+json"
    assert "secret detail" not in out["body"]
    logged = capsys.readouterr().out
    assert "secret detail" in logged and "boom" in logged


def test_request_body_arrives_in_chunks_then_disconnect() -> None:
    seen: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            raise ValueError("no lifespan here")
        while True:
            message = await receive()
            seen.append({k: len(v) if k == "body" else v for k, v in message.items()})
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 201,
                    "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"a", "more_body": True})
        await send({"type": "http.response.body", "body": b"b"})
        seen.append(await receive())

    out = call(sdk.asgi(app), "POST", "/", body=b"x" * 150_000)
    assert (out["statusCode"], out["body"]) == (201, "ab")
    assert seen == [{"type": "http.request", "body": 65536, "more_body": True},
                    {"type": "http.request", "body": 65536, "more_body": True},
                    {"type": "http.request", "body": 18928, "more_body": False},
                    {"type": "http.disconnect"}]


@pytest.mark.parametrize(("content_type", "body", "as_text"), [
    (b"text/plain; charset=utf-8", "Zoë".encode(), True),
    (b"Application/JSON", b'{"a": 1}', True),
    (None, b"plain", True),  # no Content-Type: text when it is UTF-8
    (b"text/plain", b"\xff\xfe", False),  # not UTF-8: base64 after all
    (b"image/png", b"png", False),
])
def test_the_response_is_read_from_the_messages_once_complete(
        content_type: bytes | None, body: bytes, as_text: bool) -> None:
    """Headers as the app sent them (names' case kept, repeated names joined on
    HTTP API), every Set-Cookie apart, and the body as text exactly when
    Rendered.text would say so."""
    headers = [(b"X-Mixed", b"1"), (b"set-cookie", b"a=1"), (b"x-mixed", b"2"),
               (b"Set-Cookie", b"b=2; Path=/")]
    if content_type is not None:
        headers.insert(1, (b"Content-Type", content_type))

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 207, "headers": headers})
        await send({"type": "http.response.body", "body": bytearray(body[:1]),
                    "more_body": True})
        await send({"type": "http.response.body", "body": body[1:]})

    out = call(sdk.asgi(app, lifespan="off"))
    assert out["statusCode"] == 207 and out["cookies"] == ["a=1", "b=2; Path=/"]
    expected = {"X-Mixed": "1", "x-mixed": "2"}
    if content_type is not None:
        expected["Content-Type"] = content_type.decode()
    assert out["headers"] == expected
    assert out["isBase64Encoded"] is not as_text and text(out) == body
    rendered = Rendered(207, [(k.decode(), v.decode("latin-1")) for k, v in headers
                              if k.lower() != b"set-cookie"], [], body)
    assert (rendered.text() is not None) is as_text  # the rule every response follows


@pytest.mark.parametrize("broken", ["no start", "no end"])
def test_an_incomplete_response_is_a_500(broken: str) -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if broken == "no end":
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"x", "more_body": True})

    assert call(sdk.asgi(app, lifespan="off"))["statusCode"] == 500


def _lifespan_app(events: list[str], fail: str | None = None) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    events.append("startup")
                    if fail:
                        await send({"type": "lifespan.startup.failed", "message": fail})
                        return
                    scope["state"]["db"] = "connected"
                    await send({"type": "lifespan.startup.complete"})
                else:
                    events.append("shutdown")
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        events.append(f"request state={scope.get('state')}")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    return app


def test_lifespan_starts_once_and_shares_state_then_shuts_down() -> None:
    events: list[str] = []
    handler = sdk.asgi(_lifespan_app(events))
    for _ in range(3):
        assert call(handler)["statusCode"] == 200
    assert events == ["startup"] + ["request state={'db': 'connected'}"] * 3
    assert handler.lifespan is not None
    handler.lifespan.shutdown()
    assert events[-1] == "shutdown"


def test_a_failed_startup_is_a_clear_error_and_is_tried_again(
        capsys: pytest.CaptureFixture[str]) -> None:
    events: list[str] = []
    handler = sdk.asgi(_lifespan_app(events, fail="database down"))
    assert call(handler)["statusCode"] == 500
    logged = capsys.readouterr().out
    assert "LifespanError" in logged and "database down" in logged
    with pytest.raises(sdk.LifespanError, match="database down"):
        handler.startup()
    assert events == ["startup", "startup"]


def test_lifespan_on_requires_the_app_to_speak_it() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        raise ValueError("Django can only handle ASGI/HTTP connections")

    with pytest.raises(sdk.LifespanError, match="did not complete lifespan startup"):
        sdk.asgi(app, lifespan="on").startup()


def test_lifespan_off_sends_no_lifespan_and_no_state() -> None:
    events: list[str] = []
    assert call(sdk.asgi(_lifespan_app(events), lifespan="off"))["statusCode"] == 200
    assert events == ["request state=None"]


def test_a_fastapi_lifespan_state_reaches_every_request(fastapi: Any) -> None:
    first = json.loads(call(fastapi, path="/state")["body"])
    second = json.loads(call(fastapi, path="/state")["body"])
    assert first == second and first["started"] == "yes"


def test_one_loop_serves_every_invocation_and_concurrent_threads() -> None:
    loops: list[int] = []
    in_flight = [0, 0]  # now, most at once

    async def app(scope: Any, receive: Any, send: Any) -> None:
        import asyncio

        loops.append(id(asyncio.get_running_loop()))
        in_flight[0] += 1
        in_flight[1] = max(in_flight)
        await asyncio.sleep(0.05)
        in_flight[0] -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    handler = sdk.asgi(app, lifespan="off")
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(call(handler)["statusCode"]))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    call(handler)
    assert results == [200] * 8 and len(set(loops)) == 1 and len(loops) == 9
    assert in_flight[1] > 1  # the requests overlapped on the one loop


def test_called_from_a_running_loop_it_still_runs_on_its_own_loop() -> None:
    import asyncio

    handler = sdk.asgi(webapps.starlette_app(), lifespan="off")

    async def caller() -> dict[str, Any]:
        return call(handler, path="/items/2")

    assert json.loads(asyncio.run(caller())["body"])["item_id"] == 2


@pytest.mark.parametrize("bad", [{"lifespan": "sometimes"}, {"app": 42}])
def test_bad_configuration_is_a_configuration_error(bad: dict[str, Any]) -> None:
    with pytest.raises(sdk.ConfigurationError):
        sdk.asgi(bad.get("app", webapps.starlette_app()), lifespan=bad.get("lifespan", "auto"))


def test_a_malformed_body_is_polyfns_400_before_the_app_runs() -> None:
    ran: list[bool] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        ran.append(True)

    event = aws_events.apigw_v2(method="POST", path="/")
    event.update(body="%%%not base64", isBase64Encoded=True)
    out = aws.lambda_handler(sdk.asgi(app, lifespan="off"))(event, lambda_context())
    assert out["statusCode"] == 400 and not ran


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_a_forked_child_starts_its_own_lifespan_on_its_own_loop() -> None:
    import os

    events: list[str] = []
    handler = sdk.asgi(_lifespan_app(events))
    assert call(handler)["statusCode"] == 200
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: what gunicorn --preload does after importing the app
        try:
            status = call(handler)["statusCode"]
            os.write(write, json.dumps([status, events]).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        status, child_events = json.loads(pipe.read())
    os.waitpid(pid, 0)
    served = "request state={'db': 'connected'}"
    assert status == 200 and child_events == ["startup", served, "startup", served]
    assert events == ["startup", served]


@pytest.mark.parametrize("headers", [
    sdk.Headers({"X-Name": "Zoë ✓", "Host": "h.example"}),  # one value per name
    sdk.Headers(multi={"X-Name": ["Zoë ✓"], "Host": ["h.example"]}),  # multi-value form
])
def test_header_values_that_are_not_latin_1_go_back_as_utf_8(headers: sdk.Headers) -> None:
    request = HTTPRequest(method="GET", path="/", headers=headers, provider="azure",
                          trigger="azure.http")
    scope = http_scope(request, None)
    assert (b"x-name", "Zoë ✓".encode()) in scope["headers"]
    assert (b"host", b"h.example") in scope["headers"] and scope["server"] == ("h.example", 443)


_EXITING_PROCESS = """
import sys
import adapters.aws as aws
import sdk
from adapters.testing import aws as events, lambda_context

async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            print(message["type"], flush=True)
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})

handler = aws.lambda_handler(sdk.asgi(app))
print(handler(events.apigw_v2(), lambda_context())["statusCode"], flush=True)
sys.exit(0)  # as gunicorn's worker and the Azure worker end: a normal exit
"""


def test_lifespan_shuts_down_when_the_process_exits_normally() -> None:
    """Where the platform ends the process itself (gunicorn under functions-framework,
    the Azure worker), ``atexit`` runs the shutdown; SIGTERM under the real Lambda
    runtime is tests/runtime/test_webapp_runtime.py's."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _EXITING_PROCESS], capture_output=True,
                          text=True, timeout=60, check=True)
    assert done.stdout.split() == ["lifespan.startup", "200", "lifespan.shutdown"]


def test_the_cloudevents_apps_refuse_a_bridged_app_with_a_clear_415() -> None:
    """They deliver events, not HTTP requests (docs/webapps.md): a CloudEvent POSTed
    to a bridged app is the kind check's 415, and the app never runs."""
    from werkzeug.test import Client

    from adapters.cloudevents import wsgi_app

    ran: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        ran.append(scope["type"])

    headers = {"ce-specversion": "1.0", "ce-id": "1", "ce-source": "/s", "ce-type": "t",
               "Content-Type": "application/json"}
    response = Client(wsgi_app(sdk.asgi(app, lifespan="off"))).post("/", headers=headers,
                                                                      data=b"{}")
    assert response.status_code == 415
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert ran == []
