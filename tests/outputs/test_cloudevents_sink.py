"""CloudEvents HTTP sink: polyfn's own CloudEvents WSGI app, served by werkzeug on
loopback, receives binary-mode events; its handler sees what was sent."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server

import sdk
from adapters.cloudevents import wsgi_app
from tests.support.concurrency import Ticker


@pytest.fixture
def sink() -> Iterator[tuple[str, list[Any]]]:
    seen: list[Any] = []

    def handle(event: sdk.Event) -> None:
        if event.type == "fail":
            raise RuntimeError("handler failed")
        seen.append(event)

    server = make_server("127.0.0.1", 0, wsgi_app(handle), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/", seen
    server.shutdown()
    thread.join(5)


@pytest.mark.parametrize(("data", "content_type"), [
    ({"id": "7"}, "application/json"), ("text", "text/plain; charset=utf-8"),
    (b"\x00\xffbytes", "application/octet-stream")])
def test_sink_round_trip(sink: tuple[str, list[Any]], data: Any, content_type: str) -> None:
    url, seen = sink
    sent = sdk.destination(url).send(data, type="order.placed", source="/shop",
                                     subject="orders/7", attributes={"tenant": "a"},
                                     key="customer-7")
    (event,) = seen
    assert (event.id, event.type, event.source, event.subject) == (
        sent, "order.placed", "/shop", "orders/7")
    assert event.data == data and event.data_content_type == content_type
    assert event.attributes == {"tenant": "a", "partitionkey": "customer-7"}


def test_sink_defaults_and_errors(sink: tuple[str, list[Any]]) -> None:
    url, seen = sink
    destination = sdk.destination(url)
    destination.send({"a": 1}, id="given-id")
    assert (seen[0].id, seen[0].type, seen[0].source) == ("given-id", "polyfn.message",
                                                         "/polyfn/sink")
    with pytest.raises(sdk.PublishError, match="HTTP 500"):
        destination.send({"a": 1}, type="fail")
    with pytest.raises(sdk.PublishError, match=r"polyfn\.InvalidAttribute"):
        destination.send({"a": 1}, attributes={"Tenant-Id": "a"})
    result = destination.send_many([{"n": 1}, sdk.Outgoing({"n": 2}, type="fail"), {"n": 3}])
    assert [f.index for f in result.failed] == [1] and result.failed[0].error
    assert result.failed[0].error.code == "HTTP 500"
    assert [e.data for e in seen[1:]] == [{"n": 1}, {"n": 3}]


def test_sink_unreachable_names_the_error() -> None:
    with pytest.raises(sdk.PublishError) as info:
        sdk.destination("http://127.0.0.1:9/").send({"a": 1})
    assert info.value.provider == "cloudevents.http" and info.value.code


def test_send_async_does_not_block_the_loop(sink: tuple[str, list[Any]]) -> None:
    import asyncio

    url, seen = sink

    async def main() -> tuple[list[str], sdk.SendResult, int]:
        async with Ticker() as ticker:
            ids = await asyncio.gather(*(sdk.destination(url).send_async({"n": i})
                                         for i in range(5)))
            result = await sdk.destination(url).send_many_async([{"n": 9}])
        return list(ids), result, ticker.ticks

    ids, result, ticks = asyncio.run(main())
    assert len(set(ids)) == 5 and result.ok and len(seen) == 6 and ticks > 1
