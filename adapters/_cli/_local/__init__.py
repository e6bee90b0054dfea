"""The local dev server behind ``polyfn serve``: a WSGI app (``_app.py``) served by
waitress (``_server.py``: threads, slow-client timeout, body limit), running one
handler for everything sent to it.

Routes, by path and headers only (never by sniffing the body):

* ``POST /_polyfn/invoke`` (provider detected as ``polyfn event`` does) or
  ``POST /_polyfn/invoke/{aws|azure|gcp|cloudevents}``: the body is a raw provider
  payload (an SQS batch, an API Gateway request, an Event Grid array, a Pub/Sub
  push body, a 1st-gen event...). The handler runs as that provider runs it and
  the answer is the provider-shaped response as JSON (``batchItemFailures``, the
  API Gateway response dict, ``null``), with ``X-Polyfn-Provider`` and
  ``X-Polyfn-Trigger`` headers; bad input 400 problem+json, a failed invocation 500.
* a CloudEvent (``ce-specversion`` header, or ``application/cloudevents+json`` /
  ``application/cloudevents-batch+json``): ``adapters.cloudevents.wsgi_app``.
* anything else: a plain HTTP request, an ``HTTPRequest`` (provider ``local``,
  trigger ``local.http``) answered as on Google Cloud's HTTP path.

Every uniform event the handler receives is logged on stderr in one line, and
every request with its status (``_log.py``). Imported only by ``polyfn serve``
(``adapters/_cli/serve.py``), once it has checked that the ``serve`` extra is
installed: it loads waitress, werkzeug and the adapters it serves.
"""

from __future__ import annotations

from ._app import RESERVED, dev_app, route_of
from ._log import LOCAL_HTTP, EventLog, describe
from ._raw import INVOKE
from ._server import DevServer, ServerOptions, build_server

__all__ = ["INVOKE", "LOCAL_HTTP", "RESERVED", "DevServer", "EventLog", "ServerOptions",
           "build_server", "describe", "dev_app", "route_of"]
