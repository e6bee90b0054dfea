"""One status for an event of a kind the handler does not take: 415 problem+json on
every HTTP entry point (Google Cloud ``http_function`` and ``cloudevent_function``
under functions-framework, Azure ``bind``, AWS ``lambda_handler``, ``polyfn serve``,
the CloudEvents apps), nothing run and nothing logged as a handler failure."""

from __future__ import annotations

import json
import logging
import textwrap
from pathlib import Path
from typing import Any

import flask
import pytest
from cloudevents.http import CloudEvent

import adapters.gcp as gcp
from adapters.aws import lambda_handler
from adapters.azure import bind
from adapters.testing._lambda_context import FakeLambdaContext
from sdk import HTTPRequest, Message, StorageEvent
from sdk.errors import ConfigurationError, WrongKindError
from tests.support import azure_inputs as ai

RAN: list[Any] = []


def on_upload(event: StorageEvent) -> None:
    RAN.append(event)


def api(request: HTTPRequest) -> str:
    RAN.append(request)
    return "ok"


@pytest.fixture(autouse=True)
def _nothing_ran() -> Any:
    RAN.clear()
    yield
    assert RAN == [], "a handler of another kind must not run"


def assert_refused(status: int, content_type: str, body: bytes, takes: str) -> None:
    assert status == 415
    assert content_type.startswith("application/problem+json")
    problem = json.loads(body)
    assert problem["status"] == 415
    assert f"takes {takes} events" in problem["detail"]


def test_the_error_is_a_configuration_error() -> None:
    assert issubclass(WrongKindError, ConfigurationError)


def test_gcp_http_function_refuses_a_plain_request_to_a_storage_handler() -> None:
    app = flask.Flask(__name__)
    with app.test_request_context("/", method="POST", json={"a": 1}):
        request = flask.request._get_current_object()  # type: ignore[attr-defined]
        response = gcp.http_function(on_upload)(request)
    assert_refused(response.status_code, response.content_type, response.get_data(), "storage")


def test_gcp_http_function_refuses_a_binary_cloudevent_to_a_storage_handler() -> None:
    app = flask.Flask(__name__)
    headers = {"ce-specversion": "1.0", "ce-id": "1", "ce-source": "//pubsub",
               "ce-type": "google.cloud.pubsub.topic.v1.messagePublished"}
    with app.test_request_context("/", method="POST", headers=headers, json={"message": {}}):
        request = flask.request._get_current_object()  # type: ignore[attr-defined]
        response = gcp.http_function(on_upload)(request)
    assert_refused(response.status_code, response.content_type, response.get_data(), "storage")


def _storage_cloudevent() -> CloudEvent:
    return CloudEvent({"specversion": "1.0", "id": "ev-1", "type":
                       "google.cloud.storage.object.v1.finalized",
                       "source": "//storage.googleapis.com/projects/_/buckets/b",
                       "subject": "objects/a.txt"},
                      {"bucket": "b", "name": "a.txt", "size": "3"})


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_gcp_cloudevent_function_called_directly_raises_wrong_kind(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(WrongKindError, match="takes http"):
        gcp.cloudevent_function(api)(_storage_cloudevent())
    (line,) = _lines(capsys.readouterr().out)  # one line, no "record failed" traceback
    assert line["message"] == "event refused"
    assert line["severity"] == "ERROR"
    assert line["reason"] == "api takes http events, but gcp.storage delivers storage events"
    assert "stack" not in line


def test_gcp_cloudevent_function_under_functions_framework_answers_415(
        tmp_path: Path, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str]) -> None:
    from functions_framework import create_app

    source = tmp_path / "main.py"
    source.write_text(textwrap.dedent("""
        from adapters.gcp import cloudevent_function
        from tests.unit.test_wrong_kind import api
        on_event = cloudevent_function(api)
    """))
    client = create_app("on_event", str(source), "cloudevent").test_client()
    headers = {"ce-specversion": "1.0", "ce-id": "ev-1", "ce-source": "//storage",
               "ce-type": "google.cloud.storage.object.v1.finalized",
               "ce-subject": "objects/a.txt"}
    with caplog.at_level(logging.DEBUG):
        response = client.post("/", headers=headers, json={"bucket": "b", "name": "a.txt"})
    assert_refused(response.status_code, response.content_type, response.get_data(), "http")
    # flask rendered the answer: no "Exception on /" traceback line, one line of ours
    assert not any(r.exc_info for r in caplog.records)
    assert [line["message"] for line in _lines(capsys.readouterr().out)] == ["event refused"]


def test_gcp_cloudevent_function_still_runs_an_event_it_takes() -> None:
    seen: list[StorageEvent] = []
    gcp.cloudevent_function(lambda event: seen.append(event))(_storage_cloudevent())
    assert [e.id for e in seen] == ["ev-1"]


def test_azure_bind_refuses_an_http_trigger_to_a_message_handler() -> None:
    def on_message(message: Message) -> None:
        RAN.append(message)

    response = bind(on_message)(ai.http_request(method="POST", body=b"{}"))
    assert_refused(response.status_code, response.mimetype, response.get_body(), "message")


def test_aws_lambda_handler_refuses_an_api_gateway_request_to_a_storage_handler() -> None:
    event = {"version": "2.0", "routeKey": "$default", "rawPath": "/", "rawQueryString": "",
             "headers": {"host": "h"}, "isBase64Encoded": False,
             "requestContext": {"http": {"method": "GET", "path": "/", "sourceIp": "1.2.3.4",
                                         "protocol": "HTTP/1.1", "userAgent": "t"},
                                "requestId": "r-1", "stage": "$default", "domainName": "h",
                                "accountId": "1", "apiId": "a", "timeEpoch": 0, "time": "t"}}
    out = lambda_handler(on_upload)(event, FakeLambdaContext())
    headers = {name.lower(): value for name, value in out["headers"].items()}
    assert_refused(out["statusCode"], headers["content-type"], out["body"].encode(), "storage")
