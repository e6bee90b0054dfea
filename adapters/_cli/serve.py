"""``polyfn serve MODULE:HANDLER [--port 8080] [--host 127.0.0.1]``: the local dev server.

werkzeug serves the WSGI app of ``adapters._local`` (routes documented there and in
``--help``), one request at a time. A bad ``MODULE:HANDLER`` or a port already in
use is exit code 2 with one line; Ctrl-C (or SIGTERM) stops the server and exits 0.
"""

from __future__ import annotations

import argparse
import signal
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from .command import EXIT_OK, BadInput
from .handlers import load_handler

__all__ = ["ServeCommand"]

_EPILOG = """\
routes (chosen by path and headers, never by the body):
  POST /_polyfn/invoke[/aws|azure|gcp|cloudevents]
        a raw provider payload (SQS batch, API Gateway request, Event Grid array,
        Pub/Sub push body, 1st-gen event...): run as that provider runs it; the
        answer is the provider's response as JSON (batchItemFailures, statusCode...)
  ce-specversion header, or Content-Type application/cloudevents(-batch)+json
        a CloudEvent in binary, structured or batched mode
  anything else
        a plain HTTP request: the handler gets an HTTPRequest
Each event and request is logged on stderr in one line. Ctrl-C stops the server.
"""


class ServeCommand:
    name = "serve"
    help = "run a handler behind a local HTTP server (HTTP, CloudEvents, provider payloads)"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.epilog = _EPILOG
        parser.add_argument("handler", metavar="MODULE:HANDLER",
                            help="dotted module or .py file, and the handler in it")
        parser.add_argument("--port", type=int, default=8080,
                            help="port to listen on (default 8080; 0: any free port)")
        parser.add_argument("--host", default="127.0.0.1",
                            help="address to listen on (default 127.0.0.1)")

    def run(self, args: argparse.Namespace) -> int:
        from werkzeug.serving import WSGIRequestHandler, make_server

        from adapters._local import INVOKE, EventLog, dev_app

        handler = load_handler(args.handler)

        class QuietHandler(WSGIRequestHandler):
            def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
                pass  # the app logs each request itself, with what it was

        with _listen(args.host, args.port) as sock:  # werkzeug keeps its own copy
            server = make_server(args.host, args.port, dev_app(handler, EventLog()),
                                 request_handler=QuietHandler, fd=sock.fileno())
        url = f"http://{args.host}:{server.server_address[1]}"
        _say(f"polyfn serve: {args.handler} on {url} (raw provider payloads: POST "
             f"{url}{INVOKE}); Ctrl-C to stop")
        with _signals_stop():
            server.serve_forever()  # returns on KeyboardInterrupt, socket closed
        _say("polyfn serve: stopped")
        return EXIT_OK


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket, bound here so a taken port is one line, not werkzeug's
    message and exit."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        raise BadInput(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@contextmanager
def _signals_stop() -> Iterator[None]:
    """Ctrl-C and SIGTERM stop the server (``serve_forever`` ends on KeyboardInterrupt),
    even when the parent shell ignores SIGINT for background jobs; the previous
    handlers come back after."""
    def stop(signum: int, frame: FrameType | None) -> Any:
        raise KeyboardInterrupt

    try:
        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
