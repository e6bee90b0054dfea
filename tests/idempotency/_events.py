"""Provider payloads and contexts for the idempotency tests, as the platforms send them.

SQS records follow https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html; the
HTTP API request is payload format 2.0
(https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
"""

from __future__ import annotations

import json
import time
from typing import Any

QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:orders"


class LambdaContext:
    """The attributes Lambda's context object has; ``remaining`` ms to the deadline."""

    function_name = "orders"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:orders"
    memory_limit_in_mb = 128
    aws_request_id = "req-1"
    log_group_name = "/aws/lambda/orders"
    log_stream_name = "stream"

    def __init__(self, remaining_ms: int = 30_000) -> None:
        self._deadline = time.time() * 1000 + remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int(self._deadline - time.time() * 1000))


def sqs_record(message_id: str, body: Any, *, receive_count: int = 1) -> dict[str, Any]:
    return {
        "messageId": message_id,
        "receiptHandle": f"AQEB{message_id}",
        "body": body if isinstance(body, str) else json.dumps(body),
        "attributes": {"ApproximateReceiveCount": str(receive_count),
                       "SentTimestamp": "1710324930000", "SenderId": "AIDAEXAMPLE",
                       "ApproximateFirstReceiveTimestamp": "1710324930013"},
        "messageAttributes": {},
        "md5OfBody": "0" * 32,
        "eventSource": "aws:sqs",
        "eventSourceARN": QUEUE_ARN,
        "awsRegion": "us-east-1",
    }


def sqs_event(*records: dict[str, Any]) -> dict[str, Any]:
    return {"Records": list(records)}


def http_request(body: Any, headers: dict[str, str] | None = None, *,
                 path: str = "/orders", method: str = "POST") -> dict[str, Any]:
    return {
        "version": "2.0", "routeKey": f"{method} {path}", "rawPath": path,
        "rawQueryString": "",
        "headers": {"content-type": "application/json", **(headers or {})},
        "requestContext": {"http": {"method": method, "path": path, "sourceIp": "203.0.113.7"},
                           "requestId": "r-1", "stage": "$default",
                           "timeEpoch": 1710324930000},
        "body": body if isinstance(body, str) else json.dumps(body),
        "isBase64Encoded": False,
    }


def failed_ids(response: dict[str, Any]) -> list[str]:
    return [item["itemIdentifier"] for item in response["batchItemFailures"]]
