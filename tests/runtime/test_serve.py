"""``polyfn serve`` as a real server: ``python -m adapters.cli serve`` on loopback.

One server (module fixture) takes plain HTTP, CloudEvents in binary, structured and
batched mode, and raw provider payloads on ``/_polyfn/invoke``; its stderr is read
line by line to check what it logs. Shutdown and startup errors use servers of
their own.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from adapters.testing import aws, batch, cloudevents, gcp
from tests.support.ff_server import HTTPResponse, free_port
from tests.support.samples import PROJECT_ROOT
from tests.support.serve import Serve

pytestmark = [pytest.mark.runtime,
              pytest.mark.skipif(sys.platform == "win32", reason="stops the server with SIGINT")]

@pytest.fixture(scope="module")
def server() -> Iterator[Serve]:
    serve = Serve()
    try:
        serve.wait_ready()
        yield serve
    finally:
        serve.stop()


def problem(response: HTTPResponse, status: int) -> dict[str, Any]:
    assert response.status == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    doc: dict[str, Any] = response.json()
    assert doc["status"] == status
    return doc


# -- plain HTTP ----------------------------------------------------------------------

def test_plain_get_reaches_the_handler_as_an_http_request(server: Serve) -> None:
    start = len(server.lines)
    response = server.request("GET", "/hello?x=1")
    assert response.status == 200
    assert response.json() == {"method": "GET", "path": "/hello", "query": {"x": "1"},
                               "body": "", "provider": "local", "trigger": "local.http"}
    lines = server.log_since(start, "/hello")
    assert any("http GET /hello?x=[redacted] -> 200" in line for line in lines)
    assert not any("x=1" in line for line in lines)  # no query value in the log


def test_plain_post_carries_its_body(server: Serve) -> None:
    response = server.request("POST", "/echo", "plain text")
    assert response.status == 200
    assert response.json()["body"] == "plain text"
    assert response.json()["method"] == "POST"


def test_a_malformed_body_answers_400_problem_json_and_logs_no_traceback(server: Serve) -> None:
    start = len(server.lines)
    doc = problem(server.request("POST", "/orders", "{not json",
                                 {"Content-Type": "application/json"}), 400)
    assert "Order" in doc["detail"]
    lines = server.log_since(start, "POST /orders -> 400")
    assert not any("Traceback" in line for line in lines)
    assert server.request("POST", "/orders", {"id": 7}).json() == {"order": 7}


# -- CloudEvents ---------------------------------------------------------------------

def test_a_binary_mode_cloudevent_is_a_uniform_event(server: Serve) -> None:
    start = len(server.lines)
    headers = {"ce-specversion": "1.0", "ce-id": "bin-1", "ce-source": "/orders",
               "ce-type": "com.example.placed", "Content-Type": "application/json"}
    response = server.request("POST", "/", json.dumps({"id": 1}), headers)
    assert response.status == 200
    assert response.json() == {"kind": "event", "type": "com.example.placed", "data": {"id": 1}}
    lines = server.log_since(start, "POST / -> 200 cloudevents")
    assert any(line.endswith("event cloudevents id=bin-1 type=com.example.placed "
                             "source=/orders") for line in lines)


def test_a_structured_cloudevent_is_decoded_by_its_type(server: Serve) -> None:
    event = cloudevents.structured({"id": 2}, type="com.example.shipped", event_id="st-1")
    response = server.request("POST", "/anywhere", json.dumps(event),
                              {"Content-Type": "application/cloudevents+json"})
    assert response.status == 200
    assert response.json() == {"kind": "event", "type": "com.example.shipped", "data": {"id": 2}}


def test_a_cloudevents_batch_runs_every_event(server: Serve) -> None:
    start = len(server.lines)
    events = cloudevents.structured_batch({"id": 3}, size=2)
    response = server.request("POST", "/", json.dumps(events),
                              {"Content-Type": "application/cloudevents-batch+json"})
    assert response.status == 204
    lines = server.log_since(start, "POST / -> 204 cloudevents")
    assert sum(" ".join(line.split()[1:3]) == "event cloudevents" for line in lines) == 2


# -- raw provider payloads -----------------------------------------------------------

def test_a_raw_sqs_batch_reports_the_failing_record(server: Serve) -> None:
    start = len(server.lines)
    good, bad = aws.sqs({"ok": 1}, queue="orders"), aws.sqs({"fail": True}, queue="orders")
    response = server.request("POST", "/_polyfn/invoke", batch(good, bad))
    assert response.status == 200
    assert response.headers["x-polyfn-trigger"] == "aws.sqs"
    failed = bad["Records"][0]["messageId"]
    assert response.json() == {"batchItemFailures": [{"itemIdentifier": failed}]}
    lines = server.log_since(start, "batchItemFailures=1")
    messages = [line for line in lines if " message aws.sqs " in line]
    assert len(messages) == 2 and all("queue=orders" in line for line in messages)
    assert any(f"id={failed}" in line for line in messages)


def test_a_raw_api_gateway_request_answers_the_gateway_response(server: Serve) -> None:
    event = aws.apigw_v2("POST", "/items", {"a": 1})
    response = server.request("POST", "/_polyfn/invoke/aws", event)
    assert response.status == 200
    answer = response.json()
    assert answer["statusCode"] == 200
    assert json.loads(answer["body"])["path"] == "/items"
    assert json.loads(answer["body"])["trigger"] == "aws.apigw.v2"


def test_a_raw_pubsub_push_body_runs_as_on_google_cloud(server: Serve) -> None:
    start = len(server.lines)
    response = server.request("POST", "/_polyfn/invoke/gcp", gcp.pubsub_push({"id": 4}))
    assert response.status == 200
    assert response.json() is None
    assert response.headers["x-polyfn-trigger"] == "gcp.pubsub.push"
    assert any(" message gcp.pubsub " in line for line in server.log_since(start, "gcp.pubsub"))


def test_an_invocation_that_fails_entirely_is_500_with_the_traceback_logged(
        server: Serve) -> None:
    start = len(server.lines)
    doc = problem(server.request("POST", "/_polyfn/invoke", aws.sqs({"fail": True})), 500)
    assert "ValueError" in doc["detail"] and "this record fails" not in doc["detail"]
    lines = server.log_since(start, "POST /_polyfn/invoke -> 500")
    assert "Traceback (most recent call last):" in lines  # the handler's own failure


def test_a_malformed_raw_payload_is_400_problem_json(server: Serve) -> None:
    start = len(server.lines)
    doc = problem(server.request("POST", "/_polyfn/invoke", "{not json"), 400)
    assert "not a JSON payload" in doc["detail"]
    doc = problem(server.request("POST", "/_polyfn/invoke", {"secret": "s3cr3t"}), 400)
    assert "[secret]" in doc["detail"] and "s3cr3t" not in doc["detail"]
    lines = server.log_since(start, "no trigger matches")
    assert not any("Traceback" in line or "s3cr3t" in line for line in lines)


def test_unknown_provider_and_reserved_paths_are_404(server: Serve) -> None:
    assert "unknown provider" in problem(server.request("POST", "/_polyfn/invoke/ibm", {}),
                                         404)["detail"]
    problem(server.request("GET", "/_polyfn/status"), 404)
    problem(server.request("GET", "/_polyfn/invoke"), 405)


# -- process -------------------------------------------------------------------------

@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_signal_stops_the_server_cleanly(sig: int) -> None:
    serve = Serve()
    serve.wait_ready()
    assert serve.request("GET", "/").status == 200
    code = serve.stop(sig)
    assert code == 0, serve.lines
    assert serve.lines[-1] == "polyfn serve: stopped"
    assert not any("Traceback" in line for line in serve.lines)


def test_a_bad_handler_is_exit_code_2_with_one_line() -> None:
    done = subprocess.run([sys.executable, "-m", "adapters.cli", "serve",
                           "tests.runtime.serve_handlers:missing", "--port", str(free_port())],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: tests.runtime.serve_handlers has no attribute missing"]
