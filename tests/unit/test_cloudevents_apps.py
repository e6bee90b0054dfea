"""wsgi_app / asgi_app: real CloudEvents POSTed in every mode, answers per outcome.

The WSGI app is driven by werkzeug's test client, the ASGI app by calling it with
ASGI 3 scope/receive/send; events are built with the ``cloudevents`` library.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from cloudevents.conversion import to_binary, to_structured
from cloudevents.http import CloudEvent
from pydantic import BaseModel
from werkzeug.test import Client

import sdk
from adapters.cloudevents import asgi_app, wsgi_app
from sdk import Context, Event, Response, StorageEvent

STORAGE = {"type": "google.cloud.storage.object.v1.finalized",
           "source": "//storage.googleapis.com/projects/_/buckets/b", "id": "ev-1"}
OBJECT = {"bucket": "b", "name": "dir/file.txt", "size": "12"}


class Order(BaseModel):
    id: int


Answer = tuple[int, dict[str, str], bytes]


def via_wsgi(handle: Callable[..., Any], headers: dict[str, str], body: bytes,
             method: str = "POST") -> Answer:
    response = Client(wsgi_app(handle)).open("/", method=method, headers=headers, data=body)
    return response.status_code, {k.lower(): v for k, v in response.headers.items()}, \
        response.get_data()


def via_asgi(handle: Callable[..., Any], headers: dict[str, str], body: bytes,
             method: str = "POST") -> Answer:
    app = asgi_app(handle)
    chunks = [{"type": "http.request", "body": body[:7], "more_body": True},
              {"type": "http.request", "body": body[7:], "more_body": False}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return chunks.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": "/", "raw_path": b"/",
             "query_string": b"", "root_path": "", "client": ("127.0.0.1", 5000),
             "server": ("127.0.0.1", 8080),
             "headers": [(k.lower().encode("latin-1"), v.encode("latin-1"))
                         for k, v in headers.items()]}
    asyncio.run(app(scope, receive, send))
    start, body_message = sent
    assert start["type"] == "http.response.start"
    answer_headers = {k.decode(): v.decode() for k, v in start["headers"]}
    assert int(answer_headers["content-length"]) == len(body_message["body"])
    return start["status"], answer_headers, body_message["body"]


SERVERS = [pytest.param(via_wsgi, id="wsgi"), pytest.param(via_asgi, id="asgi")]


def binary(attributes: dict[str, Any], data: Any) -> tuple[dict[str, str], bytes]:
    headers, body = to_binary(CloudEvent(attributes, data))
    return dict(headers), body


def structured(attributes: dict[str, Any], data: Any) -> tuple[dict[str, str], bytes]:
    headers, body = to_structured(CloudEvent(attributes, data))
    return dict(headers), body


@pytest.mark.parametrize("serve", SERVERS)
@pytest.mark.parametrize("mode", [binary, structured])
def test_a_storage_event_reaches_the_handler_in_either_mode(serve: Any, mode: Any) -> None:
    seen: list[StorageEvent[Any]] = []

    def handle(event: StorageEvent, context: Context) -> None:
        assert context.request_id == "ev-1" and context.provider == "cloudevents"
        seen.append(event)

    status, _, body = serve(handle, *mode(STORAGE, OBJECT))
    assert (status, body) == (204, b"")
    [event] = seen
    assert (event.bucket, event.key, event.size, event.operation) == (
        "b", "dir/file.txt", 12, "created")


@pytest.mark.parametrize("serve", SERVERS)
def test_binary_data_in_structured_mode(serve: Any) -> None:
    seen: list[Any] = []
    headers, body = structured({"type": "t", "source": "/s",
                                "datacontenttype": "application/octet-stream"}, b"\xff\x00")
    assert b"data_base64" in body
    assert serve(lambda event: seen.append(event.data), headers, body)[0] == 204
    assert seen == [b"\xff\x00"]


@pytest.mark.parametrize("serve", SERVERS)
def test_a_batch_runs_every_event_and_500_names_the_failures(serve: Any) -> None:
    events = [{"specversion": "1.0", "id": str(n), "source": "/s", "type": "t", "data": n}
              for n in range(4)]
    headers = {"Content-Type": "application/cloudevents-batch+json"}
    seen: list[int] = []

    def handle(event: Event) -> None:
        seen.append(event.data)
        if event.data % 2:
            raise RuntimeError("odd")

    status, answer_headers, body = serve(handle, headers, json.dumps(events).encode())
    assert seen == [0, 1, 2, 3]
    assert status == 500
    assert answer_headers["content-type"] == "application/problem+json"
    assert json.loads(body)["failed"] == ["1", "3"]
    assert "odd" not in body.decode()  # the error stays in the logs
    ok = serve(lambda event: None, headers, json.dumps(events).encode())
    assert ok[0] == 204


@pytest.mark.parametrize("serve", SERVERS)
def test_a_list_handler_gets_the_batch_and_reports_failures(serve: Any) -> None:
    events = [{"specversion": "1.0", "id": f"e{n}", "source": "/s", "type": "t", "data": n}
              for n in range(3)]

    def handle(batch: list[Event]) -> list[str]:
        return [e.id for e in batch if e.data == 1 and e.id]

    headers = {"Content-Type": "application/cloudevents-batch+json"}
    status, _, body = serve(handle, headers, json.dumps(events).encode())
    assert (status, json.loads(body)["failed"]) == (500, ["e1"])


@pytest.mark.parametrize("serve", SERVERS)
def test_handler_exception_is_500_problem_without_traceback(serve: Any,
                                                            capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    def handle(event: Event) -> None:
        raise ValueError("secret detail")

    status, headers, body = serve(handle, *binary({"type": "t", "source": "/s", "id": "x-9"},
                                                  {"a": 1}))
    problem = json.loads(body)
    assert (status, headers["content-type"]) == (500, "application/problem+json")
    assert "x-9" in problem["detail"] and "secret" not in body.decode()
    [log] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (log["level"], log["requestId"]) == ("ERROR", "x-9")  # logged, with the request id
    assert "secret detail" in json.dumps(log)


@pytest.mark.parametrize("serve", SERVERS)
def test_async_handler_exception_is_one_line(serve: Any,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    async def handle(event: Event) -> None:
        raise ValueError("secret detail")

    status, _, _ = serve(handle, *binary({"type": "t", "source": "/s", "id": "x-8"}, {"a": 1}))
    assert status == 500
    [log] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (log["level"], log["message"], log["requestId"]) == ("ERROR", "handler failed", "x-8")


@pytest.mark.parametrize("serve", SERVERS)
@pytest.mark.parametrize(("headers", "body"), [
    ({"Content-Type": "application/json"}, b'{"not": "a cloudevent"}'),
    ({"Content-Type": "application/cloudevents+json"}, b"{broken"),
    ({"ce-specversion": "1.0", "ce-type": "t"}, b""),
])
def test_bad_input_is_400_problem(serve: Any, headers: dict[str, str], body: bytes) -> None:
    called: list[Any] = []
    status, answer_headers, answer = serve(called.append, headers, body)
    assert (status, answer_headers["content-type"]) == (400, "application/problem+json")
    assert json.loads(answer)["status"] == 400 and not called


@pytest.mark.parametrize("serve", SERVERS)
def test_data_not_matching_the_model_is_422(serve: Any) -> None:
    @sdk.function
    def handle(event: Event[Order]) -> None:
        return None

    good = serve(handle, *binary({"type": "t", "source": "/s"}, {"id": 3}))
    bad = serve(handle, *binary({"type": "t", "source": "/s"}, {"id": "three"}))
    assert good[0] == 204
    assert bad[0] == 422 and json.loads(bad[2])["errors"][0]["loc"] == ["id"]


@pytest.mark.parametrize("serve", SERVERS)
def test_a_returned_event_is_a_binary_mode_reply(serve: Any) -> None:
    def handle(event: Event) -> Event[Any]:
        return Event(provider="local", trigger="t", id="r-1", source="/replies",
                     type="com.example.reply", subject="caf\u00e9 1", data={"echo": event.data},
                     attributes={"correlationid": event.id or ""})

    status, headers, body = serve(handle, *binary({"type": "t", "source": "/s", "id": "in-1"},
                                                  {"q": 1}))
    assert status == 200
    assert (headers["ce-id"], headers["ce-source"], headers["ce-type"]) == (
        "r-1", "/replies", "com.example.reply")
    assert headers["ce-specversion"] == "1.0" and headers["ce-correlationid"] == "in-1"
    assert headers["ce-subject"] == "caf%C3%A9%201"  # percent-encoded header value
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"echo": {"q": 1}}


@pytest.mark.parametrize("serve", SERVERS)
def test_a_returned_response_or_value_is_rendered(serve: Any) -> None:
    request = binary({"type": "t", "source": "/s"}, {"q": 1})
    status, headers, body = serve(lambda e: Response("accepted", status=202,
                                                     headers={"X-Id": "7"}), *request)
    assert (status, headers["x-id"], body) == (202, "7", b"accepted")
    status, headers, body = serve(lambda e: {"ok": True}, *request)
    assert (status, json.loads(body)) == (200, {"ok": True})


@pytest.mark.parametrize("serve", SERVERS)
def test_other_methods(serve: Any) -> None:
    status, headers, _ = serve(lambda e: None, {}, b"", "GET")
    assert (status, headers["allow"]) == (405, "POST, OPTIONS")
    status, headers, _ = serve(lambda e: None, {"WebHook-Request-Origin": "eventgrid.azure.net"},
                               b"", "OPTIONS")
    assert (status, headers["webhook-allowed-origin"]) == (200, "eventgrid.azure.net")


def test_asgi_runs_async_handlers_on_its_loop_and_sync_ones_in_a_thread() -> None:
    where: dict[str, Any] = {}

    async def handle_async(event: Event) -> None:
        await asyncio.sleep(0)
        where["loop"] = asyncio.get_running_loop()

    def handle_sync(event: Event) -> None:
        where["thread"] = threading.current_thread()

    request = binary({"type": "t", "source": "/s"}, {"q": 1})
    assert via_asgi(handle_async, *request)[0] == 204
    assert isinstance(where["loop"], asyncio.AbstractEventLoop)
    assert via_asgi(handle_sync, *request)[0] == 204
    assert where["thread"] is not threading.main_thread()


def test_wsgi_runs_async_handlers_too() -> None:
    async def handle(event: Event) -> dict[str, Any]:
        await asyncio.sleep(0)
        return {"seen": event.id}

    status, _, body = via_wsgi(handle, *binary({"type": "t", "source": "/s", "id": "a-1"}, {}))
    assert (status, json.loads(body)) == (200, {"seen": "a-1"})


def test_asgi_lifespan() -> None:
    app = asgi_app(lambda event: None)
    incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send))
    assert [m["type"] for m in sent] == ["lifespan.startup.complete",
                                         "lifespan.shutdown.complete"]


def test_trace_id_and_cold_start_reach_the_context() -> None:
    contexts: list[Context] = []
    headers, body = binary({"type": "t", "source": "/s"}, None)
    headers["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    via_wsgi(lambda e, c: contexts.append(c), headers, body)
    via_wsgi(lambda e, c: contexts.append(c), headers, body)
    assert contexts[0].trace_id == "0af7651916cd43dd8448eb211c80319c"
    assert not contexts[1].cold_start


def test_invoke_answers_as_the_apps_do() -> None:
    import adapters.cloudevents as ce

    raw = {"specversion": "1.0", "id": "1", "source": "/s", "type": "t",
           "data_base64": base64.b64encode(b"\xff").decode()}
    context = Context(provider="cloudevents", request_id="r")
    answer = ce.detect(raw).invoke(sdk.as_function(lambda e: e.data), raw, context)
    assert answer == {"status": 200, "headers": {"Content-Type": "application/octet-stream"},
                      "body_base64": base64.b64encode(b"\xff").decode()}


BATCH_HEADERS = {"Content-Type": "application/cloudevents-batch+json"}


def _batch(count: int) -> bytes:
    return json.dumps([{"specversion": "1.0", "id": f"e{n}", "source": "/s", "type": "t",
                        "data": n} for n in range(count)]).encode()


def test_an_asgi_batch_runs_async_handlers_concurrently_on_the_apps_loop() -> None:
    """The batch runner's async mode: records side by side on the server's loop (the
    first event waits for the second, which only a concurrent run lets through)."""
    loops: set[Any] = set()
    second: list[asyncio.Event] = []

    async def handle(event: Event) -> None:
        loops.add(asyncio.get_running_loop())
        if not second:
            second.append(asyncio.Event())
        if event.data == 0:
            await asyncio.wait_for(second[0].wait(), 5)
        else:
            second[0].set()
            raise RuntimeError("second")

    status, _, body = via_asgi(handle, BATCH_HEADERS, _batch(2))
    assert (status, json.loads(body)["failed"]) == (500, ["e1"])
    assert len(loops) == 1


def test_an_asgi_batch_runs_a_sync_handler_off_the_loop() -> None:
    threads: set[Any] = set()

    def handle(event: Event) -> None:
        threads.add(threading.current_thread())

    assert via_asgi(handle, BATCH_HEADERS, _batch(3))[0] == 204
    assert len(threads) == 1 and threading.main_thread() not in threads


@pytest.mark.parametrize("serve", SERVERS)
def test_an_async_list_handler_reports_failures(serve: Any) -> None:
    async def handle(batch: list[Event]) -> list[Event]:
        await asyncio.sleep(0)
        return [e for e in batch if e.data == 2]

    status, _, body = serve(handle, BATCH_HEADERS, _batch(3))
    assert (status, json.loads(body)["failed"]) == (500, ["e2"])


@pytest.mark.parametrize("serve", SERVERS)
def test_a_list_handler_answering_no_list_of_failures_fails_every_event(serve: Any) -> None:
    def handle(batch: list[Event]) -> int:
        return 42

    status, _, body = serve(handle, BATCH_HEADERS, _batch(2))
    assert (status, json.loads(body)["failed"]) == (500, ["e0", "e1"])


def _failing_batches() -> None:
    from adapters.cloudevents._run import run, run_async

    async def one_async(event: Event) -> None:
        if event.data == 1:
            raise ValueError("rejected")

    def one(event: Event) -> None:
        if event.data == 1:
            raise ValueError("rejected")

    async def whole(events: list[Event]) -> list[Event]:
        return [e for e in events if e.data == 1]

    def events() -> list[Event]:
        return [Event(provider="cloudevents", trigger="cloudevents", id=f"e{n}", data=n)
                for n in range(3)]

    for handle in (one, one_async, whole):
        fn = sdk.as_function(handle)
        assert run(fn, events(), Context(provider="cloudevents", request_id="r")).status == 500
        answer = asyncio.run(run_async(fn, events(), Context(provider="cloudevents",
                                                             request_id="r")))
        assert answer.status == 500


def test_a_failing_batch_leaves_no_reference_cycle(capsys: pytest.CaptureFixture[str]) -> None:
    """The errors' tracebacks reach every frame below them, a worker thread's too:
    none may keep the outcome (see sdk._batch, "Reference cycles")."""
    import gc

    enabled = gc.isenabled()
    try:
        _failing_batches()  # first-use imports and caches
        gc.collect()
        gc.disable()
        _failing_batches()
        leaked = gc.collect()
    finally:
        if enabled:
            gc.enable()
    assert leaked == 0
