"""Idempotent HTTP handlers through API Gateway (HTTP API, payload 2.0): the stored
response is replayed as it was; refused duplicates answer as the IETF
Idempotency-Key draft says (409 in progress, 422 reused key, 400 missing key)."""

from __future__ import annotations

import base64
import json
import threading
from typing import Any

import sdk
from adapters.aws import lambda_handler
from sdk import HTTPRequest, Response
from sdk.idempotency import MemoryStore

from ._events import LambdaContext, http_request


def entry(handle: Any) -> Any:
    return lambda_handler(handle)


def call(handler: Any, body: Any, key: str | None = "k-1", **kw: Any) -> dict[str, Any]:
    headers = {"idempotency-key": key} if key is not None else {}
    result: dict[str, Any] = handler(http_request(body, headers, **kw), LambdaContext())
    return result


def test_a_repeated_request_gets_the_first_response_again() -> None:
    runs: list[int] = []

    @sdk.idempotent(store=MemoryStore(), key="headers.Idempotency-Key")
    def create(request: HTTPRequest) -> Response:
        runs.append(1)
        return Response({"order": request.json()["order"], "n": len(runs)}, status=201,
                        headers={"Location": "/orders/7"}, cookies=["seen=1; Path=/"])

    handler = entry(create)
    first = call(handler, {"order": 7})
    again = call(handler, {"order": 7})
    assert runs == [1]
    assert first["statusCode"] == again["statusCode"] == 201
    assert json.loads(again["body"]) == json.loads(first["body"]) == {"order": 7, "n": 1}
    assert again["headers"]["Location"] == "/orders/7"
    assert again["cookies"] == first["cookies"] == ["seen=1; Path=/"]


def test_a_binary_response_is_replayed_byte_for_byte() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\xff"

    @sdk.idempotent(store=MemoryStore(), key="headers.idempotency-key")
    def image(request: HTTPRequest) -> Response:
        return Response(png, content_type="image/png")

    handler = entry(image)
    call(handler, {})
    again = call(handler, {})
    assert again["isBase64Encoded"] is True
    assert base64.b64decode(again["body"]) == png
    assert again["headers"]["Content-Type"] == "image/png"


def test_a_reused_key_with_another_body_answers_422() -> None:
    @sdk.idempotent(store=MemoryStore(), key="headers.idempotency-key")
    def create(request: HTTPRequest) -> dict[str, Any]:
        return {"ok": True}

    handler = entry(create)
    call(handler, {"order": 7})
    refused = call(handler, {"order": 8})
    assert refused["statusCode"] == 422
    assert refused["headers"]["Content-Type"] == "application/problem+json"
    assert "8" not in refused["body"]
    # The same body on another path is another request too.
    assert call(handler, {"order": 7}, path="/refunds")["statusCode"] == 422


def test_a_missing_key_answers_400_naming_the_selector() -> None:
    @sdk.idempotent(store=MemoryStore(), key="headers.idempotency-key")
    def create(request: HTTPRequest) -> dict[str, Any]:
        raise AssertionError("must not run")

    answer = call(entry(create), {"order": 7}, key=None)
    assert answer["statusCode"] == 400
    problem = json.loads(answer["body"])
    assert "headers.idempotency-key" in problem["detail"]


def test_a_request_while_the_first_is_in_progress_answers_409_with_retry_after() -> None:
    started, release = threading.Event(), threading.Event()

    @sdk.idempotent(store=MemoryStore(), key="headers.idempotency-key")
    def create(request: HTTPRequest) -> dict[str, Any]:
        started.set()
        release.wait(5)
        return {"ok": True}

    handler = entry(create)
    first: list[dict[str, Any]] = []
    thread = threading.Thread(target=lambda: first.append(call(handler, {"order": 7})))
    thread.start()
    assert started.wait(5)
    busy = call(handler, {"order": 7})
    release.set()
    thread.join()
    assert busy["statusCode"] == 409
    assert int(busy["headers"]["Retry-After"]) >= 1
    assert first[0]["statusCode"] == 200
    assert call(handler, {"order": 7})["statusCode"] == 200


def test_a_5xx_response_is_not_stored_so_the_retry_runs() -> None:
    runs: list[int] = []

    @sdk.idempotent(store=MemoryStore(), key="headers.idempotency-key")
    def create(request: HTTPRequest) -> Response:
        runs.append(1)
        return Response({"busy": True}, status=503) if len(runs) == 1 else Response({"ok": 1})

    handler = entry(create)
    assert call(handler, {})["statusCode"] == 503
    assert call(handler, {})["statusCode"] == 200
    assert call(handler, {})["statusCode"] == 200
    assert runs == [1, 1]


def test_a_handler_error_answers_500_and_the_retry_runs() -> None:
    runs: list[int] = []

    @sdk.idempotent(store=MemoryStore(), key="data.order")
    def create(request: HTTPRequest) -> dict[str, Any]:
        runs.append(1)
        if len(runs) == 1:
            raise RuntimeError("database down")
        return {"ok": True}

    handler = entry(create)
    assert call(handler, {"order": 1}, key=None)["statusCode"] == 500
    assert call(handler, {"order": 1}, key=None)["statusCode"] == 200
    assert call(handler, {"order": 1}, key=None)["statusCode"] == 200
    assert runs == [1, 1]


def test_a_key_function_sees_the_request() -> None:
    @sdk.idempotent(store=MemoryStore(),
                    key=lambda r: (r.headers.get("x-tenant"), r.json()["order"]))
    def create(request: HTTPRequest) -> dict[str, Any]:
        return {"tenant": request.headers.get("x-tenant")}

    handler = entry(create)
    a = handler(http_request({"order": 1}, {"x-tenant": "a"}), LambdaContext())
    b = handler(http_request({"order": 1}, {"x-tenant": "b"}), LambdaContext())
    assert json.loads(a["body"]) == {"tenant": "a"} and json.loads(b["body"]) == {"tenant": "b"}
