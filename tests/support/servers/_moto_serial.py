"""moto's server with DynamoDB's atomicity: ``python _moto_serial.py HOST PORT``.

Real DynamoDB applies each conditional write atomically (the condition is checked
and the item written as one step: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html),
which is what the idempotency stores rely on. moto's server handles requests on
threads and checks a condition and writes the item as two steps, with no lock, so
two racing claims can both succeed under load. This runs moto's own application,
unchanged, behind one lock for DynamoDB requests (``X-Amz-Target: DynamoDB_*``):
they take effect one at a time, as conditional writes do on the real service.
Everything else (SQS long polls included) stays concurrent.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

_LOCK = threading.Lock()


def serialized_dynamodb(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            return app(environ, start_response)
        with _LOCK:
            return list(app(environ, start_response))  # the whole answer, under the lock

    return wsgi


def main(host: str, port: int) -> None:
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import run_simple

    os.environ.setdefault("MOTO_PORT", str(port))  # as moto_server sets it
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(host, port, serialized_dynamodb(app), threaded=True,
               request_handler=MotoRequestHandler)


if __name__ == "__main__":
    # Run as a script, its folder comes first on sys.path, and moto.py there is not moto.
    here = os.path.realpath(os.path.dirname(__file__))
    sys.path[:] = [entry for entry in sys.path if os.path.realpath(entry or ".") != here]
    main(sys.argv[1], int(sys.argv[2]))
