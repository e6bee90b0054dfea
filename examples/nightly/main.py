"""Google Cloud Functions / Cloud Run functions entry point: ``--entry-point nightly``,
an HTTP function that a Cloud Scheduler job calls.

Cloud Scheduler sends ``X-CloudScheduler`` headers, which polyfn turns into the
:class:`~sdk.Schedule` the handler takes (a request without them answers 400). The
handler's result is the 200 JSON answer; an exception answers 500, and the job retries
per its retry config. functions-framework finds the target by name and its signature
type by the decorated function's ``__name__``, hence a real ``def nightly``.
"""

from __future__ import annotations

import flask
import functions_framework
from werkzeug import Response

from adapters.gcp import http_function
from examples.nightly.handler import handle

run = http_function(handle)


@functions_framework.http
def nightly(request: flask.Request) -> Response:
    response: Response = run(request)
    return response
