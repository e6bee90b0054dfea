"""``polyfn serve MODULE:HANDLER [--port 8080] [--host 127.0.0.1] ...``: the local dev server.

waitress serves the WSGI app of ``adapters._cli._local`` (routes documented there and in
``--help``; why waitress and its limits: ``adapters/_cli/_local/_server.py``). The server
library is the ``serve`` extra: without it the command says so in one line. Bad
options, a bad ``MODULE:HANDLER``, an unknown host or a port already in use are
exit code 2 with one line; Ctrl-C (or SIGTERM) stops the server and exits 0.
"""

from __future__ import annotations

import argparse
import importlib
import ipaddress
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from .command import EXIT_OK, BadInput
from .handlers import load_handler
from .options import port, positive_int, size
from .signals import handling_signals

__all__ = ["ServeCommand", "listen"]

#: What ``polyfn serve`` needs beyond the core, and the extra that installs it.
REQUIRED = ("waitress", "werkzeug")
EXTRA = "pip install 'polyfn[serve]'"
#: Connections waiting to be accepted: a burst of clients past the default 128
#: would have its SYNs dropped and retried a second later (waitress's default).
BACKLOG = 1024
DEFAULTS = {"threads": 8, "timeout": 30, "max_body": 6 * 1024 * 1024}

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
An event of a kind the handler does not take answers 415, malformed input 400.
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
        parser.add_argument("--port", type=port, default=8080,
                            help="port to listen on (default 8080; 0: any free port)")
        parser.add_argument("--host", default="127.0.0.1",
                            help="address to listen on (default 127.0.0.1; a non-loopback "
                                 "address is reachable from other machines, and warns)")
        parser.add_argument("--threads", type=positive_int, default=DEFAULTS["threads"],
                            help="requests handled at once (default %(default)s)")
        parser.add_argument("--timeout", type=positive_int, default=DEFAULTS["timeout"],
                            metavar="SECONDS",
                            help="a request must arrive whole within this time of its "
                                 "first byte, and an idle connection closes after it "
                                 "(default %(default)s)")
        parser.add_argument("--max-body", type=size, default=DEFAULTS["max_body"],
                            metavar="SIZE",
                            help="largest request body, e.g. 512KiB, 10MiB (default "
                                 "6MiB, AWS Lambda's synchronous payload limit); "
                                 "larger bodies answer 413 unread")

    def run(self, args: argparse.Namespace) -> int:
        _require_server_library()
        from adapters._cli._local import INVOKE, EventLog, ServerOptions, build_server, dev_app

        handler = load_handler(args.handler)
        sock, address = listen(args.host, args.port)
        log = EventLog()
        options = ServerOptions(args.threads, args.timeout, args.max_body)
        server = build_server(dev_app(handler, log), sock, options, log)
        url = _url(address, sock.getsockname()[1])
        if not _is_loopback(address):
            _say(f"polyfn serve: warning: listening on {address}, reachable from other "
                 "machines; polyfn serve is a development server (use --host 127.0.0.1)")
        _say(f"polyfn serve: {args.handler} on {url} (raw provider payloads: POST "
             f"{url}{INVOKE}); Ctrl-C to stop")
        with _signals_stop():
            server.run()  # returns on KeyboardInterrupt, the worker threads stopped
        server.close()
        sock.close()
        _say("polyfn serve: stopped")
        return EXIT_OK


def _require_server_library() -> None:
    """One line naming the extra when the server library cannot be imported."""
    missing = []
    for name in REQUIRED:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise BadInput(f"polyfn serve needs {' and '.join(missing)}: {EXTRA}")


def listen(host: str, port: int) -> tuple[socket.socket, str]:
    """A listening socket and the address it is bound to, bound here so an unknown
    host or a taken port is one line."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except (OSError, ValueError) as exc:  # unknown name; NUL or non-IDNA characters
        reason = exc.strerror if isinstance(exc, socket.gaierror) else "not a host name"
        raise BadInput(f"cannot listen on {host!r}: {reason}") from None
    family, _, _, _, sockaddr = infos[0]
    address = str(sockaddr[0])
    try:
        return socket.create_server((address, port), family=family, backlog=BACKLOG), address
    except OSError as exc:
        raise BadInput(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _url(address: str, bound: int) -> str:
    shown = f"[{address}]" if ":" in address else address
    return f"http://{shown}:{bound}"


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@contextmanager
def _signals_stop() -> Iterator[None]:
    """Ctrl-C and SIGTERM stop the server (``run`` ends on KeyboardInterrupt); the
    previous handlers come back after."""
    def stop(signum: int, frame: FrameType | None) -> Any:
        raise KeyboardInterrupt

    with handling_signals(stop):
        yield
