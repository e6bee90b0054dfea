"""Google Cloud Functions / Cloud Run functions entry point: ``--entry-point http``.

functions-framework finds the target by name in this module and its signature type
by the decorated function's ``__name__``, hence a real ``def http``.
"""

from __future__ import annotations

import flask
import functions_framework
from werkzeug import Response

from adapters.gcp import http_function
from examples.webapp.handler import handle

serve = http_function(handle)


@functions_framework.http
def http(request: flask.Request) -> Response:
    response: Response = serve(request)
    return response
