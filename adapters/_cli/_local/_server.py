"""The HTTP server under ``polyfn serve``: waitress (https://docs.pylonsproject.org/projects/waitress/),
with three limits of its own set and two small extensions.

Why waitress: pure Python with no compiled parts (installs wherever polyfn does),
a WSGI server like the app it serves (no ASGI bridge), ~50 ms to import, and the
properties a dev server that may face a browser, a load test or a slow client needs:
one I/O thread reads every connection without blocking and hands only *complete*
requests to a fixed pool of worker threads, so a client that trickles its headers
or never sends the body it promised holds no worker and delays nobody. Bodies are
buffered to a temporary file past 512 KiB, so memory stays bounded.

* ``channel_timeout``: an idle connection (keep-alive, or a stalled request) is
  closed after ``timeout`` seconds without a byte.
* :class:`DevChannel` + :meth:`DevServer.maintenance`: a request must arrive whole
  within ``timeout`` seconds of its first byte, so a client trickling a byte every
  few seconds (slowloris) is cut too; waitress alone only measures idleness.
* ``max_request_body_size``: a ``Content-Length`` over ``max_body`` is refused as
  soon as the headers are in, before the body is read (a chunked body when it
  passes the limit); :class:`ProblemErrorTask` answers it, and waitress's other
  protocol errors, with ``application/problem+json`` as every polyfn HTTP answer.
"""

from __future__ import annotations

import logging
import socket
import time
from dataclasses import dataclass
from typing import Any, cast

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask, ThreadedTaskDispatcher

from adapters._cli.output import one_line
from sdk.adapter import problem

from ._log import EventLog

__all__ = ["DevServer", "ServerOptions", "build_server"]

#: Open connections at once; past it waitress stops accepting (clients wait in the backlog).
CONNECTION_LIMIT = 1000


@dataclass(frozen=True)
class ServerOptions:
    """What ``polyfn serve`` tunes (its defaults are the command's): worker threads,
    the slow-client timeout (seconds) and the largest request body accepted (bytes)."""

    threads: int
    timeout: int
    max_body: int


#: waitress's protocol errors -> the problem detail (never the request's own bytes,
#: which waitress quotes in its texts).
_DETAILS: dict[int, str] = {
    400: "The request is not valid HTTP/1.1.",
    413: "The request body is larger than {max_body} bytes (polyfn serve --max-body).",
    431: "The request headers are too large.",
    501: "The request's Transfer-Encoding is not supported.",
}


class ProblemErrorTask(ErrorTask):
    """A protocol error (413, 400, 431...) as problem+json, with one log line."""

    def execute(self) -> None:
        parser = cast(Any, self.request)
        error = parser.error
        server = cast(DevServer, self.channel.server)
        detail = _DETAILS.get(error.code, error.reason).format(max_body=server.options.max_body)
        rendered = problem(error.code, error.reason, detail)
        self.status = f"{error.code} {error.reason}"
        cast(list[tuple[str, str]], self.response_headers).extend(rendered.headers)
        self.set_close_on_finish()
        self.content_length = len(rendered.body)
        self.write(rendered.body)
        # The path only: the query string may carry values (the log never shows them).
        server.event_log.request(one_line(str(parser.command or "-")),
                                 one_line(str(parser.path or "-")), error.code, detail, 0.0)


class DevChannel(HTTPChannel):
    """A connection that remembers when the request it is reading began, and sends
    no ``100 Continue`` for a refused request."""

    error_task_class = ProblemErrorTask
    #: ``time.monotonic()`` of the first byte of the request being read, or None.
    reading_since: float | None = None

    def received(self, data: bytes) -> bool:
        before = self.request
        result = bool(super().received(data))
        if self.request is None:
            self.reading_since = None
        elif self.request is not before:
            self.reading_since = time.monotonic()
        return result

    def send_continue(self) -> None:
        # waitress would invite the body of a request it has already refused (413):
        # a client waiting on ``Expect: 100-continue`` gets the refusal alone.
        if self.request is not None and self.request.error is not None:
            return
        super().send_continue()


class DevServer(TcpWSGIServer):
    """waitress's TCP server with :class:`DevChannel` connections and a deadline
    on reading each request."""

    channel_class = DevChannel

    def __init__(self, app: Any, sock: socket.socket, options: ServerOptions,
                 log: EventLog) -> None:
        self.options = options
        self.event_log = log  # not ``log``: waitress's dispatcher has a log method
        adj = Adjustments(
            sockets=[sock], threads=options.threads, channel_timeout=options.timeout,
            cleanup_interval=1, max_request_body_size=options.max_body + 1,
            connection_limit=CONNECTION_LIMIT, asyncore_use_poll=True, ident="polyfn",
        )
        dispatcher = ThreadedTaskDispatcher()
        dispatcher.set_thread_count(adj.threads)
        super().__init__(app, {}, True, sock, dispatcher=dispatcher, adj=adj,
                         bind_socket=False,
                         sockinfo=(sock.family, sock.type, sock.proto, sock.getsockname()))

    def maintenance(self, now: float) -> None:
        super().maintenance(now)  # type: ignore[arg-type]  # waitress passes time.time()
        cutoff = time.monotonic() - self.options.timeout
        channels = cast(dict[int, Any], self.active_channels)  # typed wrongly in the stubs
        for channel in list(channels.values()):
            since = getattr(channel, "reading_since", None)
            if since is not None and since < cutoff and not channel.requests:
                channel.will_close = True
                channel.reading_since = None
                self.event_log.line(f"closed a connection from {_peer(channel)}: no complete "
                              f"request within {self.options.timeout} s")


def _peer(channel: Any) -> str:
    addr = getattr(channel, "addr", None)
    return f"{addr[0]}:{addr[1]}" if isinstance(addr, tuple) and len(addr) >= 2 else "?"


def build_server(app: Any, sock: socket.socket, options: ServerOptions,
                 log: EventLog) -> DevServer:
    """The server for ``app`` on the listening ``sock``; ``run()`` serves until
    KeyboardInterrupt."""
    # "Task queue depth is N" is waitress telling that all workers are busy: normal
    # under a burst of clients, noise in a dev server's log.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    return DevServer(app, sock, options, log)
