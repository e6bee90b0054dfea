"""AWS events with an envelope of their own: EventBridge (custom events, schedules,
S3 object events) and CloudWatch Logs subscriptions.

Formats: https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html,
https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html.
"""

from __future__ import annotations

import base64
import gzip
import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus

from ._common import ACCOUNT, DEFAULT_TIME, REGION, epoch_ms, iso, new_id

__all__ = ["cloudwatch_logs", "eventbridge", "s3_eventbridge", "scheduled"]


def _envelope(detail_type: str, source: str, detail: Any, resources: Sequence[str],
              time: datetime, event_id: str | None) -> dict[str, Any]:
    return {"version": "0", "id": event_id or new_id(), "detail-type": detail_type,
            "source": source, "account": ACCOUNT, "time": iso(time, digits=0),
            "region": REGION, "resources": list(resources), "detail": detail}


def eventbridge(detail: Any = None, *, detail_type: str = "OrderPlaced",
                source: str = "com.example.orders", resources: Sequence[str] = (),
                event_id: str | None = None, time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """A custom EventBridge event (``detail`` defaults to a small object)."""
    if detail is None:
        detail = {"message": "hello"}
    return _envelope(detail_type, source, detail, resources, time, event_id)


def scheduled(schedule: str = "polyfn-every-5-minutes", *, scheduler: bool = False,
              event_id: str | None = None, time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """A scheduled rule's event (``scheduler``: the envelope-shaped input polyfn
    documents for EventBridge Scheduler)."""
    if scheduler:
        arn = f"arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule/default/{schedule}"
        return _envelope("Scheduled Event", "aws.scheduler", {}, [arn], time, event_id)
    arn = f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{schedule}"
    return _envelope("Scheduled Event", "aws.events", {}, [arn], time, event_id)


def s3_eventbridge(key: str = "uploads/hello.txt", *, bucket: str = "polyfn-bucket",
                   detail_type: str = "Object Created", size: int = 1024,
                   etag: str = "d41d8cd98f00b204e9800998ecf8427e",
                   version_id: str | None = None, event_id: str | None = None,
                   time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """An S3 object event delivered by EventBridge (``detail_type`` as S3 names it:
    ``Object Created``, ``Object Deleted``, ``Object Restore Completed``...)."""
    obj: dict[str, Any] = {"key": quote_plus(key, safe="/")}
    if detail_type == "Object Created":
        obj.update(size=size, etag=etag)
    if version_id is not None:
        obj["version-id"] = version_id
    obj["sequencer"] = "00617F08299329D189"
    detail = {"version": "0", "bucket": {"name": bucket}, "object": obj,
              "request-id": "N4N7GDK58NMKJ12R", "requester": ACCOUNT,
              "source-ip-address": "203.0.113.10", "reason": "PutObject"}
    return _envelope(detail_type, "aws.s3", detail, [f"arn:aws:s3:::{bucket}"], time, event_id)


def cloudwatch_logs(messages: Sequence[str] | str = "hello from the logs", *,
                    log_group: str = "/aws/lambda/polyfn",
                    log_stream: str = "2024/05/01/[$LATEST]0",
                    filter_name: str = "polyfn-filter", time: datetime = DEFAULT_TIME
                    ) -> dict[str, Any]:
    """A subscription filter delivery: ``messages`` (one or several log lines),
    gzipped and base64-encoded as CloudWatch Logs sends them."""
    lines = [messages] if isinstance(messages, str) else list(messages)
    document = {
        "messageType": "DATA_MESSAGE", "owner": ACCOUNT, "logGroup": log_group,
        "logStream": log_stream, "subscriptionFilters": [filter_name],
        "logEvents": [{"id": str(uuid.uuid4().int)[:56], "timestamp": epoch_ms(time),
                       "message": line} for line in lines],
    }
    packed = gzip.compress(json.dumps(document).encode("utf-8"))
    return {"awslogs": {"data": base64.b64encode(packed).decode("ascii")}}
