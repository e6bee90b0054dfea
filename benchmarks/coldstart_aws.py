"""Cold start per AWS family, for ``python -m benchmarks.coldstart``.

Each family is a pair of whole-process cases over the same event: ``raw`` is bare
Python with the handler's own imports (``json``, and ``base64`` or
``urllib.parse`` where the family needs them) running a hand-written handler
that does the same reads; ``polyfn`` is ``lambda_handler`` over a handler doing
them through the uniform events. What a family costs is polyfn's row over its
raw row; issue 18's targets are +25 ms wall and +3 MiB peak RSS.

The events are those of the per-event scenarios (the SQS batch without its
failing message: a first invocation, not a failure path).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .aws_records import S3_EVENT
from .aws_streams import dynamodb_event
from .http_v2 import EVENT as HTTP_EVENT
from .sqs_batch import sqs_event

__all__ = ["FAMILIES", "RSS_BUDGET_MIB", "WALL_BUDGET_MS", "Family"]

#: Issue 18: import + first invocation over bare Python with the handler's imports.
WALL_BUDGET_MS = 25.0
RSS_BUDGET_MIB = 3.0


@dataclass(frozen=True)
class Family:
    event: dict[str, Any]
    polyfn: str  # handler module source (defines ``handler``)
    raw: str
    check: str = "True"  # an expression over ``response``


_HTTP_POLYFN = '''
from adapters.aws import lambda_handler
from sdk import Response


def handle(request):
    data = request.json()
    return Response({"method": request.method, "path": request.path,
                     "agent": request.headers.get("user-agent"),
                     "page": request.query.get("page"), "name": data["name"]}, status=201)


handler = lambda_handler(handle)
'''

_HTTP_RAW = '''
import json


def handler(event, context):
    http = event["requestContext"]["http"]
    data = json.loads(event["body"])
    body = {"method": http["method"], "path": event["rawPath"],
            "agent": event["headers"].get("user-agent"),
            "page": (event.get("queryStringParameters") or {}).get("page"),
            "name": data["name"]}
    return {"statusCode": 201, "headers": {"Content-Type": "application/json"},
            "body": json.dumps(body), "isBase64Encoded": False}
'''


def _collecting(parameter: str, reads: str) -> str:
    """The polyfn side of a family whose raw handler appends what it reads to
    ``seen``: a handler module keeping ``reads`` (an expression over the event
    ``parameter``) for every event, through ``lambda_handler``."""
    return f'''
from adapters.aws import lambda_handler

seen = []


def handle({parameter}):
    seen.append({reads})


handler = lambda_handler(handle)
'''


_SQS_POLYFN = _collecting("message", 'message.data["order_id"]')

_SQS_RAW = '''
import json

seen = []


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            seen.append(json.loads(record["body"])["order_id"])
        except Exception:
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
'''

_S3_POLYFN = _collecting("event", "(event.bucket, event.key, event.size)")

_S3_RAW = '''
from urllib.parse import unquote_plus

seen = []


def handler(event, context):
    for record in event["Records"]:
        s3 = record["s3"]
        seen.append((s3["bucket"]["name"], unquote_plus(s3["object"]["key"]),
                     s3["object"].get("size")))
'''

_DYNAMODB_POLYFN = _collecting("change", "(change.operation, change.keys, change.new)")

_DYNAMODB_RAW = '''
from decimal import Decimal

seen = []


def value(attribute):
    ((tag, inner),) = attribute.items()
    if tag == "N":
        return int(inner) if inner.lstrip("-").isdigit() else Decimal(inner)
    if tag == "M":
        return {k: value(v) for k, v in inner.items()}
    if tag == "L":
        return [value(v) for v in inner]
    return inner


def handler(event, context):
    for record in event["Records"]:
        stream = record["dynamodb"]
        seen.append((record["eventName"], {k: value(v) for k, v in stream["Keys"].items()},
                     {k: value(v) for k, v in stream["NewImage"].items()}))
    return {"batchItemFailures": []}
'''

FAMILIES: dict[str, Family] = {
    "aws http": Family(HTTP_EVENT, _HTTP_POLYFN, _HTTP_RAW, "response['statusCode'] == 201"),
    "aws sqs": Family(sqs_event(10, failing=-1), _SQS_POLYFN, _SQS_RAW,
                      "not (response or {}).get('batchItemFailures')"),
    "aws s3": Family(S3_EVENT, _S3_POLYFN, _S3_RAW),
    "aws dynamodb": Family(dynamodb_event(10), _DYNAMODB_POLYFN, _DYNAMODB_RAW,
                           "not (response or {}).get('batchItemFailures')"),
}
