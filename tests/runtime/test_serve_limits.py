"""``polyfn serve`` under load and abuse, on loopback: many clients at once, slow
clients (slowloris), oversized bodies, a non-loopback bind, events of the wrong kind.

One server (module fixture) runs an HTTP-only handler with a short timeout and a
small body limit so each case is quick; every loop here is bounded in count and
time. The load numbers are asserted generously: the machine is shared.
"""

from __future__ import annotations

import http.client
import json
import socket
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from adapters.testing import aws, cloudevents
from tests.support.ff_server import http_request
from tests.support.serve import HANDLER, Serve

pytestmark = [pytest.mark.runtime,
              pytest.mark.skipif(sys.platform == "win32", reason="stops the server with SIGINT")]

TIMEOUT_S = 3
#: An ordinary request beside slow clients answers well within the timeout: had a
#: slow client blocked it, it would wait for the cut.
PROMPT_S = 1.5
MAX_BODY = 64 * 1024
CLIENTS, REQUESTS = 200, 50
LOAD_DEADLINE_S = 90.0  # the load stops by itself past this, counting what was not sent
#: The p99 is the first request of each client: all 200 arrive in one burst and
#: queue for the worker threads (~0.8 s on a quiet 2-core machine, 2.4 s seen at a
#: load average of 13 with other suites running). Single-threaded, unbounded serving
#: was p99 31 s with 265 errors.
P99_LIMIT_S = 5.0
#: How long after the timeout a slow client may still be connected: the server
#: checks its deadlines every second, and the machine is shared.
CUT_SLACK_S = 3.0


@pytest.fixture(scope="module")
def server() -> Iterator[Serve]:
    serve = Serve("tests.runtime.serve_handlers:http_only", "--timeout", str(TIMEOUT_S),
                  "--max-body", "64KiB", "--threads", "8")
    try:
        serve.wait_ready()
        yield serve
    finally:
        serve.stop()


def _connect(server: Serve) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def _timed_get(server: Serve, path: str = "/ping") -> float:
    """Seconds one ordinary request took; it must answer 200."""
    started = time.monotonic()
    response = http_request("GET", server.url + path, timeout=10)
    assert response.status == 200, response.text
    return time.monotonic() - started


def _closed_within(sock: socket.socket, seconds: float, trickle: bytes = b"") -> float | None:
    """Seconds until the server closes ``sock`` without answering (``trickle`` sent
    every quarter second meanwhile), or None if it stays open that long."""
    started = time.monotonic()
    sock.settimeout(0.25)
    while time.monotonic() - started < seconds:
        try:
            if trickle:
                sock.sendall(trickle)
            data = sock.recv(4096)
        except TimeoutError:
            continue
        except OSError:  # reset: closed
            return time.monotonic() - started
        assert data == b"", f"a slow client got an answer: {data[:80]!r}"
        return time.monotonic() - started
    return None


# -- many clients --------------------------------------------------------------------

class Load:
    """``CLIENTS`` threads, each sending ``REQUESTS`` GETs on one keep-alive connection."""

    def __init__(self, server: Serve) -> None:
        self.server = server
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.deadline = time.monotonic() + LOAD_DEADLINE_S
        self.start = threading.Barrier(CLIENTS)

    def client(self, number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=15)
        self.start.wait(timeout=30)
        for i in range(REQUESTS):
            if time.monotonic() > self.deadline:
                self._record(None, f"client {number}: {REQUESTS - i} not sent by the deadline")
                break
            started = time.monotonic()
            try:
                conn.request("GET", f"/load/{number}/{i}")
                response = conn.getresponse()
                body = json.loads(response.read())
                ok = response.status == 200 and body["path"] == f"/load/{number}/{i}"
                self._record(time.monotonic() - started if ok else None,
                             f"client {number}: {response.status}")
            except (OSError, http.client.HTTPException, ValueError) as exc:
                self._record(None, f"client {number}: {type(exc).__name__}: {exc}")
                conn.close()
        conn.close()

    def _record(self, latency: float | None, error: str) -> None:
        with self.lock:
            if latency is None:
                self.errors.append(error)
            else:
                self.latencies.append(latency)

    def run(self) -> None:
        threads = [threading.Thread(target=self.client, args=(n,), daemon=True)
                   for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=LOAD_DEADLINE_S + 30)


def test_200_clients_of_50_requests_each_get_every_answer_in_bounded_time(
        server: Serve) -> None:
    load = Load(server)
    started = time.monotonic()
    load.run()
    elapsed = time.monotonic() - started
    assert load.errors == [], f"{len(load.errors)} errors, e.g. {load.errors[:5]}"
    assert len(load.latencies) == CLIENTS * REQUESTS
    latencies = sorted(load.latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(f"{len(latencies)} requests in {elapsed:.1f} s: p50 "
          f"{latencies[len(latencies) // 2] * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms")
    assert p99 < P99_LIMIT_S


# -- slow clients --------------------------------------------------------------------

def test_a_client_trickling_its_headers_delays_no_one_and_is_cut(server: Serve) -> None:
    start = len(server.lines)
    slow = _connect(server)
    slow.sendall(b"GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    cut: list[float | None] = []
    trickler = threading.Thread(target=lambda: cut.append(
        _closed_within(slow, TIMEOUT_S + CUT_SLACK_S, trickle=b"X")), daemon=True)
    trickler.start()
    # A byte every quarter second never leaves the connection idle: only the
    # whole-request deadline cuts it. Meanwhile everyone else is served at once.
    others = [_timed_get(server) for _ in range(10)]
    trickler.join(timeout=TIMEOUT_S + CUT_SLACK_S + 5)
    slow.close()
    assert max(others) < PROMPT_S, others
    assert cut and cut[0] is not None, "the trickling client was never cut"
    assert TIMEOUT_S - 0.5 <= cut[0] <= TIMEOUT_S + CUT_SLACK_S
    server.log_since(start, f"no complete request within {TIMEOUT_S} s")


def test_a_body_promised_but_never_sent_is_cut_after_the_timeout(server: Serve) -> None:
    slow = _connect(server)
    slow.sendall(b"POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n"
                 b"Content-Type: application/octet-stream\r\n\r\n0123456789")
    assert _timed_get(server) < PROMPT_S
    cut = _closed_within(slow, TIMEOUT_S + CUT_SLACK_S)
    slow.close()
    assert cut is not None and cut <= TIMEOUT_S + CUT_SLACK_S


def test_more_stalled_clients_than_worker_threads_block_no_one(server: Serve) -> None:
    stalled = [_connect(server) for _ in range(40)]  # 5x the 8 worker threads
    try:
        for sock in stalled:
            sock.sendall(b"GET /stalled HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        assert max(_timed_get(server) for _ in range(5)) < PROMPT_S
        cut = [_closed_within(sock, TIMEOUT_S + CUT_SLACK_S) for sock in stalled]
        assert all(seconds is not None for seconds in cut)
    finally:
        for sock in stalled:
            sock.close()


# -- body limit ----------------------------------------------------------------------

def _answer(sock: socket.socket) -> tuple[int, dict[str, str], dict[str, Any]]:
    """Status, headers and JSON body of the one response on ``sock``."""
    response = http.client.HTTPResponse(sock)
    response.begin()
    headers = {k.lower(): v for k, v in response.getheaders()}
    return response.status, headers, json.loads(response.read())


@pytest.mark.parametrize("expect", [False, True], ids=["body-sent", "expect-100-continue"])
def test_a_declared_oversized_body_is_413_before_it_is_sent(server: Serve, expect: bool) -> None:
    start = len(server.lines)
    with _connect(server) as sock:
        head = (b"POST /upload?token=s3cr3t HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Length: 104857600\r\n")
        # 1 KiB of the 100 MiB; or none, waiting to be invited (never, for a refusal).
        sock.sendall(head + (b"Expect: 100-continue\r\n\r\n" if expect else
                             b"\r\n" + b"x" * 1024))
        first = sock.recv(12, socket.MSG_PEEK)
        status, headers, doc = _answer(sock)
    assert first == b"HTTP/1.1 413"  # not 100 Continue first
    assert status == 413
    assert headers["content-type"] == "application/problem+json"
    assert doc["status"] == 413 and str(MAX_BODY) in doc["detail"]
    lines = server.log_since(start, "POST /upload -> 413")
    assert not any("s3cr3t" in line for line in lines)


def test_a_chunked_body_is_413_once_it_passes_the_limit(server: Serve) -> None:
    chunk = b"y" * 8192
    sent = 0
    with _connect(server) as sock:
        sock.sendall(b"POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        sock.settimeout(0.05)
        while sent < 64 * MAX_BODY:  # bounded: the answer comes long before
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
                if sock.recv(1, socket.MSG_PEEK):
                    break
            except TimeoutError:
                continue
            except OSError:
                break
        sock.settimeout(10)
        status, _, doc = _answer(sock)
    assert status == 413 and doc["status"] == 413
    assert sent < 64 * MAX_BODY


@pytest.mark.parametrize(("size", "status"), [(MAX_BODY, 200), (MAX_BODY + 1, 413)])
def test_the_limit_is_the_largest_body_accepted(server: Serve, size: int, status: int) -> None:
    response = http_request("POST", server.url + "/upload", b"z" * size,
                            {"Content-Type": "application/octet-stream"}, timeout=10)
    assert response.status == status
    if status == 200:
        assert response.json() == {"path": "/upload", "bytes": MAX_BODY}


# -- the kind the handler takes ------------------------------------------------------

def test_a_cloudevent_to_an_http_only_handler_is_415(server: Serve) -> None:
    event = cloudevents.structured({"id": 1}, type="com.example.placed")
    response = server.request("POST", "/", json.dumps(event),
                              {"Content-Type": "application/cloudevents+json"})
    assert response.status == 415
    assert response.headers["content-type"] == "application/problem+json"
    assert "takes http events" in response.json()["detail"]


def test_a_raw_payload_of_another_kind_is_415_and_an_unknown_one_400(server: Serve) -> None:
    sqs = server.request("POST", "/_polyfn/invoke", aws.sqs({"id": 1}))
    assert sqs.status == 415 and "aws.sqs delivers message events" in sqs.json()["detail"]
    unknown = server.request("POST", "/_polyfn/invoke", {"neither": "provider"})
    assert unknown.status == 400 and "no trigger matches" in unknown.json()["detail"]


# -- where it listens ----------------------------------------------------------------

def test_loopback_does_not_warn_and_every_address_does(server: Serve) -> None:
    assert not any("warning" in line for line in server.lines)
    wide = Serve(HANDLER, host="0.0.0.0")  # nothing is sent to it: it only starts
    try:
        wide.wait_ready()
    finally:
        wide.stop()
    warnings = [line for line in wide.lines if "warning" in line]
    assert len(warnings) == 1
    assert "listening on 0.0.0.0, reachable from other machines" in warnings[0]
